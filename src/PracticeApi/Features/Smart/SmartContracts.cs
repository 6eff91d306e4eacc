using System.Text.Json;
using FluentValidation;

namespace PracticeApi.Features.Smart;

/// <param name="Jwks">The client's public keys as a JSON Web Key Set (<c>{"keys":[…]}</c>, RSA or EC P-384, each with a
/// kid).</param>
/// <param name="JwksUrl">Instead of jwks: an https URL serving the key set, fetched at registration, again when the
/// last fetch is five minutes old (a key removed from the set stops working within that), and when an assertion names a
/// key the last fetch did not have (at most every 30 seconds), so the client can rotate its keys.</param>
/// <param name="Scopes">SMART system scopes the client may ask for, such as <c>system/Patient.read</c> or
/// <c>system/*.read</c>.</param>
/// <param name="Name">A name to recognise the client by.</param>
/// <param name="RequiresConsent">True binds the client to consent: its access tokens read only the clients who gave an
/// ehr_sharing consent naming this client (withdrawal takes effect at once). Left out, false.</param>
public sealed record SmartClientRequest(string Name, JsonElement? Jwks, string? JwksUrl, IReadOnlyList<string> Scopes,
    bool? RequiresConsent = null);

/// <summary>The token request's form fields (read from the form; this record describes them for the OpenAPI
/// document).</summary>
/// <param name="GrantType">Always client_credentials.</param>
/// <param name="Scope">Space-separated SMART system scopes within the client's registration, such as
/// system/Patient.read.</param>
/// <param name="ClientAssertionType">Always urn:ietf:params:oauth:client-assertion-type:jwt-bearer.</param>
/// <param name="ClientAssertion">A JWT signed with one of the client's registered keys (RS384 or ES384): iss and sub
/// the client id, aud this token endpoint, a unique jti, exp at most five minutes ahead.</param>
public sealed record TokenRequestForm(
    [property: System.Text.Json.Serialization.JsonPropertyName("grant_type")] string GrantType,
    [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string Scope,
    [property: System.Text.Json.Serialization.JsonPropertyName("client_assertion_type")] string ClientAssertionType,
    [property: System.Text.Json.Serialization.JsonPropertyName("client_assertion")] string ClientAssertion);

/// <param name="ClientId">The client_id: the iss and sub of the client's assertions.</param>
/// <param name="Name">The client's name.</param>
/// <param name="Scopes">The system scopes it may request.</param>
/// <param name="KeyIds">The ids of its registered keys.</param>
/// <param name="JwksUrl">Where its keys are fetched, when registered by URL.</param>
/// <param name="CreatedAt">When it was registered (UTC).</param>
/// <param name="RequiresConsent">Whether its tokens read only the clients who consented to share with it.</param>
public sealed record SmartClientResponse(Guid ClientId, string Name, IReadOnlyList<string> Scopes,
    IReadOnlyList<string> KeyIds, string? JwksUrl, DateTime CreatedAt, bool RequiresConsent);

internal sealed class SmartClientRequestValidator : AbstractValidator<SmartClientRequest>
{
    public SmartClientRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Scopes).NotEmpty().Must(s => s is null || (s.Count <= 20 && s.All(SmartScopes.IsKnown)))
            .WithMessage($"scopes are system/{{type}}.read (or .rs), type one of {string.Join(", ", SmartScopes.ResourceTypes)} or *.");
        RuleFor(r => r.Jwks).Must((r, j) => (j is null) != (r.JwksUrl is null))
            .WithMessage("give exactly one of jwks and jwksUrl.");
        RuleFor(r => r.Jwks)
            .Must(j => SmartKeys.ValidKeySet(j!.Value.ValueKind == JsonValueKind.Object ? j.Value.GetRawText() : ""))
            .When(r => r.Jwks is not null)
            .WithMessage($"jwks must be a JSON Web Key Set with 1 to 10 public signing keys, each with a kid: {SmartKeys.AcceptedKeys}.");
        RuleFor(r => r.JwksUrl).MaximumLength(2000).Must(u => Uri.TryCreate(u, UriKind.Absolute,
            out var uri) && uri.Scheme is "https" or "http")
            .When(r => r.JwksUrl is not null).WithMessage("jwksUrl must be an absolute https URL.");
    }
}

/// <summary>An OAuth 2.0 error answer (RFC 6749 §5.2).</summary>
/// <param name="Error">The RFC 6749 error code, such as invalid_client.</param>
/// <param name="ErrorDescription">What was wrong, in words.</param>
public sealed record OAuthError(
    [property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error,
    [property: System.Text.Json.Serialization.JsonPropertyName("error_description")] string ErrorDescription,
    [property: System.Text.Json.Serialization.JsonIgnore] int Status = StatusCodes.Status400BadRequest);

/// <summary>The token response of RFC 6749 §5.1.</summary>
/// <param name="AccessToken">The access token, for the Authorization header.</param>
/// <param name="TokenType">Always bearer.</param>
/// <param name="ExpiresIn">Seconds until it expires.</param>
/// <param name="Scope">The scopes granted.</param>
public sealed record TokenGrant(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn,
    [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string Scope);

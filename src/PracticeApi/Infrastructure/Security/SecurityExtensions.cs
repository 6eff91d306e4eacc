using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace PracticeApi.Infrastructure.Security;

public static class Policies
{
    /// <summary>A therapist or admin acting through a user token.</summary>
    public const string Staff = "staff";

    /// <summary>An admin acting through a user token.</summary>
    public const string Admin = "admin";

    /// <summary>A client acting through a portal token.</summary>
    public const string Portal = "portal";

    /// <summary>Staff, or a partner acting for themselves through the portal (the store checks which couple).</summary>
    public const string StaffOrPartner = "staff-or-partner";

    /// <summary>Staff, or an integration token holding the named scope.</summary>
    public static string StaffOrScope(string scope) => $"staff-or:{scope}";

    /// <summary>An admin, or an integration token holding the named scope.</summary>
    public static string AdminOrScope(string scope) => $"admin-or:{scope}";
}

public static class SecurityExtensions
{
    public static IServiceCollection AddSecurity(this IServiceCollection services)
    {
        services.AddSingleton<FailedAuthentications>();
        services.AddSingleton<TokenCache>();
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Staff, p => p.RequireAssertion(c => Kind(c) == TokenKinds.User))
            .AddPolicy(Policies.Admin, p => p.RequireAssertion(c => IsAdmin(c)))
            .AddPolicy(Policies.Portal, p => p.RequireAssertion(c => Kind(c) == TokenKinds.Client))
            .AddPolicy(Policies.StaffOrPartner,
            p => p.RequireAssertion(c => Kind(c) is TokenKinds.User or TokenKinds.Client));

        services.AddAuthorization(options =>
        {
            foreach (var scope in Scopes.All)
            {
                options.AddPolicy(Policies.StaffOrScope(scope), p => p.RequireAssertion(c =>
                    Kind(c) == TokenKinds.User || (Kind(c) == TokenKinds.Integration && HasScope(c, scope))));
                options.AddPolicy(Policies.AdminOrScope(scope), p => p.RequireAssertion(c =>
                    IsAdmin(c) || (Kind(c) == TokenKinds.Integration && HasScope(c, scope))));
            }
        });
        return services;
    }

    private static string? Kind(AuthorizationHandlerContext c) => c.User.FindFirst(Caller.KindClaim)?.Value;

    private static bool IsAdmin(AuthorizationHandlerContext c) =>
        Kind(c) == TokenKinds.User && c.User.IsInRole(Roles.Admin);

    private static bool HasScope(AuthorizationHandlerContext c, string scope) =>
        c.User.HasClaim(Caller.ScopeClaim, scope);
}

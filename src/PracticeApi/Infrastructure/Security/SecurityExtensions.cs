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
            .AddPolicy(Policies.Staff, p => p.RequireAssertion(c => Kind(c) == ActorKind.User))
            .AddPolicy(Policies.Admin, p => p.RequireAssertion(c => IsAdmin(c)))
            .AddPolicy(Policies.Portal, p => p.RequireAssertion(c => Kind(c) == ActorKind.Client))
            .AddPolicy(Policies.StaffOrPartner,
            p => p.RequireAssertion(c => Kind(c) is ActorKind.User or ActorKind.Client));

        services.AddAuthorization(options =>
        {
            foreach (var scope in Scopes.All)
            {
                options.AddPolicy(Policies.StaffOrScope(scope), p => p.RequireAssertion(c =>
                    Kind(c) == ActorKind.User || (Kind(c) == ActorKind.Integration && HasScope(c, scope))));
                options.AddPolicy(Policies.AdminOrScope(scope), p => p.RequireAssertion(c =>
                    IsAdmin(c) || (Kind(c) == ActorKind.Integration && HasScope(c, scope))));
            }
        });
        return services;
    }

    private static Caller? Token(AuthorizationHandlerContext c) =>
        c.User.Identity is CallerIdentity { IsAuthenticated: true } identity ? identity.Token : null;

    private static ActorKind? Kind(AuthorizationHandlerContext c) => Token(c)?.Kind;

    private static bool IsAdmin(AuthorizationHandlerContext c) => Token(c)?.IsAdmin == true;

    private static bool HasScope(AuthorizationHandlerContext c, string scope) => Token(c)?.HasScope(scope) == true;
}

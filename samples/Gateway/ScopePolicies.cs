using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace Gateway;

/// <summary>Scope checks for AuthService's access tokens, whose <c>scope</c> claim is one space-separated string (RFC 9068 §2.2.3).</summary>
public static class ScopePolicies
{
    /// <summary>Requires <paramref name="scope"/> among the token's scopes.</summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, string scope) =>
        policy.RequireAuthenticatedUser().RequireAssertion(context =>
            context.User.FindAll("scope").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(scope, StringComparer.Ordinal));

    /// <summary>
    /// The 403 of RFC 6750 §3.1: <c>WWW-Authenticate: Bearer error="insufficient_scope"</c>, naming the scope the route's
    /// policy asked for (the endpoint's policy name is the scope, as on each route in appsettings.json).
    /// </summary>
    public static Task ChallengeInsufficientScopeAsync(ForbiddenContext context)
    {
        var needed = context.HttpContext.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy).OfType<string>().FirstOrDefault();
        context.Response.Headers.WWWAuthenticate = needed is null
            ? "Bearer error=\"insufficient_scope\""
            : $"Bearer error=\"insufficient_scope\", scope=\"{needed}\"";
        return Task.CompletedTask;
    }
}

using AuthService.ResourceServer.Authority;
using AuthService.ResourceServer.Dpop;
using AuthService.ResourceServer.Introspection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AuthService.ResourceServer;

/// <summary>Registration of the AuthService scheme, and the authorization helpers that go with it.</summary>
public static class AuthServiceTokenExtensions
{
    /// <summary>
    /// Adds the <see cref="AuthServiceTokenDefaults.AuthenticationScheme"/> scheme:
    /// <c>builder.Services.AddAuthentication().AddAuthServiceTokens(o => { o.Authority = "https://as.example"; o.Audience = "https://api.example.com/orders"; });</c>
    /// </summary>
    public static AuthenticationBuilder AddAuthServiceTokens(this AuthenticationBuilder builder, Action<AuthServiceTokenOptions> configure) =>
        builder.AddAuthServiceTokens(AuthServiceTokenDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the scheme under another name (e.g. to accept tokens of two authorities).</summary>
    public static AuthenticationBuilder AddAuthServiceTokens(this AuthenticationBuilder builder, string authenticationScheme, Action<AuthServiceTokenOptions> configure)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AuthorityDocuments>();
        services.TryAddSingleton<AccessTokenValidator>();
        services.TryAddSingleton<TokenIntrospection>();
        services.TryAddSingleton<DpopNonceKeys>();
        services.TryAddSingleton<DpopProofValidator>();
        services.TryAddSingleton<IDpopReplayCache, InMemoryDpopReplayCache>();

        // Redirects are not followed: the authority's documents come from the URLs its metadata names, nowhere else.
        services.AddHttpClient(AuthServiceTokenDefaults.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

        // A misconfigured API does not start (rather than refusing every request later).
        services.AddOptions<AuthServiceTokenOptions>(authenticationScheme)
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();
        return builder.AddScheme<AuthServiceTokenOptions, AuthServiceTokenHandler>(authenticationScheme, configure);
    }

    /// <summary>
    /// Requires an authenticated caller whose token grants <paramref name="scope"/> (one of its space-separated
    /// <c>scope</c> values). Call it again to require several scopes at once.
    /// </summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, string scope) =>
        policy.RequireAuthenticatedUser().RequireClaim(AuthServiceTokenDefaults.Claims.Scope, scope);

    /// <summary>The endpoint requires a token granting <paramref name="scope"/>: <c>app.MapGet(...).RequireScope("orders.read")</c>.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireScope(scope));

    /// <summary>
    /// The endpoint is revocation-sensitive: besides the local checks, the token is introspected at the authority
    /// (RFC 7662; answers cached for <see cref="IntrospectionOptions.CacheDuration"/>) and refused unless active.
    /// Implies <c>RequireAuthorization()</c>.
    /// </summary>
    public static TBuilder RequireActiveToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(RequireActiveTokenMetadata.Instance).RequireAuthorization();
}

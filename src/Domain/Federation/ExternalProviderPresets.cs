namespace AuthService.Domain.Federation;

/// <summary>
/// The well-known providers' details (docs/adr/0037 "Presets"), so an administrator gives only the client id, the secret
/// and the policy. Each preset's rules that are not plain OpenID Connect live in the upstream protocol implementations:
/// Microsoft's multi-tenant issuer (<c>{tenantid}</c> in the discovery document's issuer is the ID token's <c>tid</c>),
/// Apple's client secret (an ES256 JWT signed with the team's key) and its form-posted name on the first sign-in only,
/// GitHub's user and verified e-mail API (OAuth 2.0, not OpenID Connect).
/// </summary>
public static class ExternalProviderPresets
{
    public const string Google = "google";
    public const string Microsoft = "microsoft";
    public const string Apple = "apple";
    public const string GitHub = "github";

    public static readonly IReadOnlyList<string> All = [Google, Microsoft, Apple, GitHub];

    /// <summary>Microsoft's multi-tenant issuer: people of any Entra ID tenant and personal accounts.</summary>
    public const string MicrosoftCommonIssuer = "https://login.microsoftonline.com/common/v2.0";

    /// <summary>GitHub: the authenticated user (its numeric <c>id</c> is the subject) and the verified e-mail list.</summary>
    public const string GitHubUserEndpoint = "https://api.github.com/user";

    public const string GitHubEmailsPath = "/emails";

    public static ExternalProtocol ProtocolOf(string preset) => preset == GitHub ? ExternalProtocol.OAuth2 : ExternalProtocol.OpenIdConnect;

    public static string? IssuerOf(string? preset) => preset switch
    {
        Google => "https://accounts.google.com",
        Microsoft => MicrosoftCommonIssuer,
        Apple => "https://appleid.apple.com",
        _ => null,
    };

    /// <summary>
    /// How the upstream returns its authorization response: <see cref="ExternalProvider.FormPost"/> for Apple (Sign in with
    /// Apple sends the name and e-mail scopes' answer only as a form post), else <see cref="ExternalProvider.Query"/>.
    /// </summary>
    public static string ResponseModeOf(string? preset) => preset == Apple ? ExternalProvider.FormPost : ExternalProvider.Query;

    public static string? AuthorizationEndpointOf(string? preset) => preset == GitHub ? "https://github.com/login/oauth/authorize" : null;

    public static string? TokenEndpointOf(string? preset) => preset == GitHub ? "https://github.com/login/oauth/access_token" : null;

    public static string? UserInfoEndpointOf(string? preset) => preset == GitHub ? GitHubUserEndpoint : null;

    public static IReadOnlyList<string> ScopesOf(string? preset, ExternalProtocol protocol) => preset switch
    {
        GitHub => ["read:user", "user:email"],
        // Apple's scopes are "name" and "email" (Sign in with Apple REST API, "Request an authorization").
        Apple => ["openid", "name", "email"],
        _ when protocol == ExternalProtocol.OpenIdConnect => ["openid", "email", "profile"],
        _ => [],
    };

    public static ClaimMapping ClaimsOf(string? preset) => preset switch
    {
        // GitHub's user object: "id" (a number that never changes, unlike "login") and "name"; e-mails come from /user/emails.
        GitHub => new ClaimMapping("id", "email", "verified", "name"),
        _ => ClaimMapping.Default,
    };

    /// <summary>
    /// The issuer an ID token must name. A discovery document's issuer is used as is, except Microsoft's multi-tenant one,
    /// whose issuer is a template, <c>https://login.microsoftonline.com/{tenantid}/v2.0</c>: the token's issuer must equal it
    /// with <c>{tenantid}</c> replaced by the token's own <c>tid</c> claim (Microsoft identity platform, "Validate the
    /// issuer" for multi-tenant applications); a token without a <c>tid</c> matches nothing. Null: no issuer is acceptable.
    /// </summary>
    public static string? ExpectedIssuer(string discoveredIssuer, string? tenantId)
    {
        ArgumentNullException.ThrowIfNull(discoveredIssuer);
        const string Template = "{tenantid}";
        if (!discoveredIssuer.Contains(Template, StringComparison.Ordinal))
        {
            return discoveredIssuer;
        }

        return tenantId is { Length: > 0 and <= 64 } && tenantId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? discoveredIssuer.Replace(Template, tenantId, StringComparison.Ordinal)
            : null;
    }
}

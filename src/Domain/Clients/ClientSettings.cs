namespace AuthService.Domain.Clients;

/// <summary>
/// The configurable part of a client, as registered (RFC 7591 metadata). The client type follows from
/// <see cref="TokenEndpointAuthMethod"/>: <c>none</c> means a public client.
/// </summary>
public sealed record ClientSettings(
    string ClientName,
    string TokenEndpointAuthMethod,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<string> AllowedScopes,
    TimeSpan AccessTokenLifetime,
    string? Audience)
{
    /// <summary>False for first-party clients whose users are not asked to consent (a server extension).</summary>
    public bool RequireConsent { get; init; } = true;

    /// <summary>The JWS algorithm of ID tokens for this client (OIDC Dynamic Registration §2); RS256 unless set.</summary>
    public string IdTokenSignedResponseAlg { get; init; } = SigningKeys.SigningAlgorithms.RS256;

    public static readonly TimeSpan DefaultAccessTokenLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinAccessTokenLifetime = TimeSpan.FromSeconds(30);

    /// <summary>OAuth 2.1 asks for short-lived bearer tokens; one hour is this server's ceiling.</summary>
    public static readonly TimeSpan MaxAccessTokenLifetime = TimeSpan.FromHours(1);
}

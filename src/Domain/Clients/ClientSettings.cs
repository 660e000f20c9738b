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

    /// <summary>The client's public keys as a JWK Set document (RFC 7591 §2 <c>jwks</c>); exclusive with <see cref="JwksUri"/>.</summary>
    public string? Jwks { get; init; }

    /// <summary>Where the client publishes its JWK Set (RFC 7591 §2 <c>jwks_uri</c>); exclusive with <see cref="Jwks"/>.</summary>
    public string? JwksUri { get; init; }

    /// <summary>The one JWS algorithm the client signs its assertions with (RFC 7591 §2 <c>token_endpoint_auth_signing_alg</c>); any allowed one when null.</summary>
    public string? TokenEndpointAuthSigningAlg { get; init; }

    /// <summary>The expected subject DN of the client's certificate (RFC 8705 §2.1.2, <c>tls_client_auth</c>).</summary>
    public string? TlsClientAuthSubjectDn { get; init; }

    /// <summary>A dNSName expected in the client certificate's SAN (RFC 8705 §2.1.2, <c>tls_client_auth</c>).</summary>
    public string? TlsClientAuthSanDns { get; init; }

    /// <summary>Access tokens for this client are always DPoP-bound (RFC 9449 §5.2 <c>dpop_bound_access_tokens</c>).</summary>
    public bool DPoPBoundAccessTokens { get; init; }

    /// <summary>
    /// Access tokens for this client are always bound to its mutual-TLS certificate (RFC 8705 §3.4
    /// <c>tls_client_certificate_bound_access_tokens</c>): a token request without a certificate is refused.
    /// </summary>
    public bool TlsClientCertificateBoundAccessTokens { get; init; }

    /// <summary>Authorization requests only through PAR (RFC 9126 §6 <c>require_pushed_authorization_requests</c>).</summary>
    public bool RequirePushedAuthorizationRequests { get; init; }

    /// <summary>The one JWS algorithm of the client's request objects (RFC 9101 §10.5 <c>request_object_signing_alg</c>); any allowed one when null.</summary>
    public string? RequestObjectSigningAlg { get; init; }

    /// <summary>Where the server POSTs logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.2 <c>backchannel_logout_uri</c>).</summary>
    public string? BackchannelLogoutUri { get; init; }

    /// <summary>Logout tokens for this client carry <c>sid</c> (Back-Channel Logout 1.0 §2.2 <c>backchannel_logout_session_required</c>).</summary>
    public bool BackchannelLogoutSessionRequired { get; init; }

    /// <summary>The page the logout page frames (OpenID Connect Front-Channel Logout 1.0 §2 <c>frontchannel_logout_uri</c>).</summary>
    public string? FrontchannelLogoutUri { get; init; }

    /// <summary>The framed URL carries <c>iss</c> and <c>sid</c> (Front-Channel Logout 1.0 §2 <c>frontchannel_logout_session_required</c>).</summary>
    public bool FrontchannelLogoutSessionRequired { get; init; }

    /// <summary>The client's token exchange policy (RFC 8693 §5: the server decides who may exchange what); none unless set.</summary>
    public TokenExchangePolicy TokenExchange { get; init; } = TokenExchangePolicy.None;

    /// <summary>A security profile the client is held to (<see cref="ClientProfiles"/>), or null.</summary>
    public string? Profile { get; init; }

    /// <summary>
    /// Every authorization and device authorization for this client needs a second factor, whatever the request asks
    /// for (a server extension, the operator's switch; docs/adr/0032 "Client policy and the claims parameter").
    /// </summary>
    public bool RequireMfa { get; init; }

    /// <summary>
    /// The acr values requested when a request names none (OIDC Dynamic Client Registration 1.0 §2
    /// <c>default_acr_values</c>, used as OIDC Core §3.1.2.1 <c>acr_values</c>); only values this server defines.
    /// </summary>
    public IReadOnlyList<string> DefaultAcrValues { get; init; } = [];

    /// <summary>
    /// Token requests per second this client may make on one replica (a server extension, the operator's setting; never
    /// client metadata of RFC 7591, so a client cannot raise its own); null means the configured default. Between 1 and
    /// <see cref="MaxTokenRateLimit"/>.
    /// </summary>
    public int? TokenRateLimit { get; init; }

    /// <summary>The ceiling of <see cref="TokenRateLimit"/>: several times what one replica serves, so any real need fits below it.</summary>
    public const int MaxTokenRateLimit = 1_000_000;

    public static readonly TimeSpan DefaultAccessTokenLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinAccessTokenLifetime = TimeSpan.FromSeconds(30);

    /// <summary>OAuth 2.1 asks for short-lived bearer tokens; one hour is this server's ceiling.</summary>
    public static readonly TimeSpan MaxAccessTokenLifetime = TimeSpan.FromHours(1);
}

namespace AuthService.Domain.Clients;

/// <summary>
/// Security profiles a client can be held to (a server extension in client metadata, <c>profile</c>).
/// </summary>
public static class ClientProfiles
{
    /// <summary>
    /// The FAPI 2.0 Security Profile (OpenID FAPI 2.0 Security Profile, final): PAR, sender-constrained
    /// tokens, <c>private_key_jwt</c> or mTLS, PS256/ES256/EdDSA only, codes of at most 60 seconds.
    /// </summary>
    public const string Fapi2 = "fapi2";

    public static IReadOnlyList<string> Supported { get; } = [Fapi2];

    public static bool IsSupported(string profile) => Supported.Contains(profile, StringComparer.Ordinal);

    /// <summary>FAPI 2.0 Security Profile §5.3.2.1: authorization codes live at most 60 seconds.</summary>
    public static readonly TimeSpan Fapi2MaxCodeLifetime = TimeSpan.FromSeconds(60);

    /// <summary>
    /// FAPI 2.0 Security Profile §5.3.2.2: authorization requests only through PAR (RFC 9126), with
    /// <c>redirect_uri</c> in the pushed request.
    /// </summary>
    public static bool RequiresPushedRequests(string? profile) => profile == Fapi2;

    /// <summary>FAPI 2.0 Security Profile §5.3.2.1: only sender-constrained access tokens (DPoP or mTLS) are issued.</summary>
    public static bool RequiresSenderConstrainedTokens(string? profile) => profile == Fapi2;

    /// <summary>
    /// FAPI 2.0 Security Profile §5.3.2.1 (and its Note 2): no refresh-token rotation, so the refresh token stays
    /// valid on use; every other client's refresh token rotates (RFC 9700 §4.14.2).
    /// </summary>
    public static bool RotatesRefreshTokens(string? profile) => profile != Fapi2;

    /// <summary>
    /// The lifetime of a code issued to a client of <paramref name="profile"/>: the server-wide one, capped at
    /// <see cref="Fapi2MaxCodeLifetime"/> for a fapi2 client (FAPI 2.0 Security Profile §5.3.2.1).
    /// </summary>
    public static TimeSpan CodeLifetime(string? profile, TimeSpan serverWide) => Capped(profile, serverWide, Fapi2MaxCodeLifetime);

    /// <summary>FAPI 2.0 Security Profile §5.3.2.2: a pushed request's <c>expires_in</c> is less than 600 seconds.</summary>
    public static readonly TimeSpan Fapi2MaxPushedRequestLifetime = TimeSpan.FromSeconds(599);

    /// <summary>
    /// The lifetime of a pushed request of a client of <paramref name="profile"/>: the server-wide one, capped at
    /// <see cref="Fapi2MaxPushedRequestLifetime"/> for a fapi2 client.
    /// </summary>
    public static TimeSpan PushedRequestLifetime(string? profile, TimeSpan serverWide) => Capped(profile, serverWide, Fapi2MaxPushedRequestLifetime);

    private static TimeSpan Capped(string? profile, TimeSpan serverWide, TimeSpan fapi2Max) =>
        profile == Fapi2 && serverWide > fapi2Max ? fapi2Max : serverWide;

    /// <summary>FAPI 2.0 Security Profile §5.4: the JWS algorithms a FAPI client and server may use.</summary>
    public static IReadOnlyList<string> Fapi2Algorithms { get; } = [JwsAlgorithms.PS256, JwsAlgorithms.ES256, JwsAlgorithms.EdDSA];

    /// <summary>FAPI 2.0 Security Profile §5.3.2.2: client authentication by private_key_jwt or mTLS only.</summary>
    public static IReadOnlyList<string> Fapi2AuthMethods { get; } =
        [TokenEndpointAuthMethods.PrivateKeyJwt, TokenEndpointAuthMethods.TlsClientAuth, TokenEndpointAuthMethods.SelfSignedTlsClientAuth];
}

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

    /// <summary>FAPI 2.0 Security Profile §5.4: the JWS algorithms a FAPI client and server may use.</summary>
    public static IReadOnlyList<string> Fapi2Algorithms { get; } = [JwsAlgorithms.PS256, JwsAlgorithms.ES256, JwsAlgorithms.EdDSA];

    /// <summary>FAPI 2.0 Security Profile §5.3.2.2: client authentication by private_key_jwt or mTLS only.</summary>
    public static IReadOnlyList<string> Fapi2AuthMethods { get; } =
        [TokenEndpointAuthMethods.PrivateKeyJwt, TokenEndpointAuthMethods.TlsClientAuth, TokenEndpointAuthMethods.SelfSignedTlsClientAuth];
}

using AuthService.ResourceServer.Jose;

namespace AuthService.ResourceServer;

/// <summary>DPoP proof checks at the resource server (RFC 9449 §4.3, §7, §9).</summary>
public sealed class DpopOptions
{
    /// <summary>Proof algorithms accepted, advertised in the challenge's <c>algs</c> (RFC 9449 §7.1). Asymmetric only.</summary>
    public string[] AllowedAlgorithms { get; set; } = [.. JwsAlgorithms.DpopDefaults];

    /// <summary>
    /// How old a proof's <c>iat</c> may be (RFC 9449 §4.3 point 11, §11.1), plus <see cref="AuthServiceTokenOptions.ClockSkew"/>.
    /// Each proof's <c>jti</c> is remembered for this long, so a replay within it is refused. Default 2 minutes.
    /// </summary>
    public TimeSpan ProofLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Require a server-provided nonce in every proof (RFC 9449 §9): a proof without a current one is answered with
    /// <c>use_dpop_nonce</c> and a fresh <c>DPoP-Nonce</c> header. Off by default.
    /// </summary>
    public bool RequireNonce { get; set; }

    /// <summary>How long an issued nonce is accepted. Default 5 minutes.</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Base64 of at least 32 random bytes that authenticates nonces. Replicas behind one load balancer must share it;
    /// when absent, each process generates its own (fine for a single instance).
    /// </summary>
    public string? NonceKey { get; set; }

    /// <summary>
    /// The API's public base URL (<c>https://api.example.com</c>, with a path base if any) when it runs behind a
    /// proxy that changes scheme, host or port: the <c>htu</c> of proofs is compared with this base plus the
    /// request path, instead of with the request as the API sees it (RFC 9449 §4.3 point 9).
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    internal IEnumerable<string> Problems()
    {
        if (ProofLifetime < TimeSpan.FromSeconds(5) || ProofLifetime > TimeSpan.FromMinutes(10))
        {
            yield return "Dpop:ProofLifetime must be between 5 seconds and 10 minutes.";
        }

        if (NonceLifetime < TimeSpan.FromSeconds(5) || NonceLifetime > TimeSpan.FromHours(1))
        {
            yield return "Dpop:NonceLifetime must be between 5 seconds and 1 hour.";
        }

        if (NonceKey is not null && (!TryDecodeKey(NonceKey, out var key) || key.Length < 32))
        {
            yield return "Dpop:NonceKey must be base64 of at least 32 bytes.";
        }

        if (PublicBaseUrl is not null && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var baseUrl)
            || baseUrl.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment)))
        {
            yield return "Dpop:PublicBaseUrl must be an absolute http(s) URL without query or fragment.";
        }
    }

    internal static bool TryDecodeKey(string value, out byte[] key)
    {
        key = new byte[value.Length];
        if (Convert.TryFromBase64String(value, key, out var written))
        {
            key = key[..written];
            return true;
        }

        return false;
    }
}

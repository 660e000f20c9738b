using AuthService.Application.Common.Protocol;

namespace AuthService.Application.Common.DPoP;

/// <summary>
/// Checks a DPoP proof exactly as RFC 9449 §4.3 lists: one header; a compact JWS; <c>typ</c> <c>dpop+jwt</c>; an
/// asymmetric <c>alg</c> of <see cref="DPoPAlgorithms.Supported"/>; a public <c>jwk</c> that verifies the signature;
/// <c>htm</c> and <c>htu</c> naming this request; a fresh <c>iat</c>; a <c>jti</c> never seen before on any replica;
/// the server nonce when <paramref name="requireNonce"/>; and <c>ath</c> when an access token is presented.
/// </summary>
public interface IDPoPProofValidator
{
    /// <param name="accessToken">The access token presented with the proof (resource requests, RFC 9449 §7), or null at the token endpoint.</param>
    /// <param name="requireNonce">Refuse a proof without a current server nonce (<c>use_dpop_nonce</c>, RFC 9449 §8).</param>
    /// <returns>The proof's key thumbprint, or <c>invalid_dpop_proof</c> / <c>use_dpop_nonce</c>.</returns>
    ValueTask<ProtocolResult<DPoPProof>> ValidateAsync(DPoPPresentation presentation, string? accessToken, bool requireNonce, CancellationToken cancellationToken);
}

/// <summary>
/// Server-provided DPoP nonces (RFC 9449 §8, §9) that need no shared state: any replica accepts a nonce any other
/// replica made, for a bounded time.
/// </summary>
public interface IDPoPNonces
{
    /// <summary>A nonce to send in the <c>DPoP-Nonce</c> header now.</summary>
    string Current();

    /// <summary>Whether <paramref name="nonce"/> was made by this server (any replica) and has not gone stale.</summary>
    bool IsValid(string? nonce);
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthService.ResourceServer.Jose;

namespace AuthService.ResourceServer.Dpop;

/// <summary>
/// Checks a DPoP proof at a resource server, in the order of RFC 9449 §4.3, with the additions of §7.1 (the
/// <c>ath</c> claim, and the proof key's thumbprint equal to the token's <c>cnf.jkt</c>) and §9 (server nonces).
/// The proof's <c>jti</c> is recorded only once every other check has passed, so that invalid proofs cannot fill
/// the replay cache.
/// </summary>
internal sealed class DpopProofValidator(IDpopReplayCache replayCache, TimeProvider clock)
{
    /// <summary>A bound on a proof's size: a header with an RSA 4096 key and a few claims fit well within it.</summary>
    public const int MaxProofLength = 4 * 1024;

    private const string ProofType = "dpop+jwt";

    public async Task<TokenFailure?> ValidateAsync(DpopRequest request, AuthServiceTokenOptions options, DpopNonces nonces, CancellationToken cancellationToken)
    {
        var dpop = options.Dpop;

        // Point 2: a well-formed JWT; a JWS whose header names no other key source than the jwk (no jku, x5u, x5c).
        using var proof = CompactJws.Read(request.Proof, MaxProofLength, allowJwkHeader: true);
        if (proof is null)
        {
            return TokenFailure.Proof("The DPoP proof is not a well-formed signed JWT.");
        }

        // Point 4: typ (media types compare without case).
        if (!string.Equals(proof.Type, ProofType, StringComparison.OrdinalIgnoreCase))
        {
            return TokenFailure.Proof("The DPoP proof's typ must be dpop+jwt.");
        }

        // Point 5: an asymmetric algorithm from the allow-list; never none or a MAC.
        if (proof.Algorithm is not { } algorithm || !dpop.AllowedAlgorithms.Contains(algorithm, StringComparer.Ordinal))
        {
            return TokenFailure.Proof("The DPoP proof's algorithm is not accepted.");
        }

        // Point 7: the jwk is a public key; a private member anywhere in it refuses the proof.
        if (!proof.Header.TryGetProperty("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object)
        {
            return TokenFailure.Proof("The DPoP proof carries no jwk.");
        }

        if (JsonWebKeyReader.HasPrivateMembers(jwk))
        {
            return TokenFailure.Proof("The DPoP proof's jwk must not contain a private key.");
        }

        // Point 6: the signature, with the jwk of the header.
        if (JsonWebKeyReader.Read(jwk) is not { } key || !key.Verify(algorithm, proof.SigningInput, proof.Signature))
        {
            return TokenFailure.Proof("The DPoP proof's signature is invalid.");
        }

        // Point 3: the required claims; point 8: htm; point 9: htu.
        if (proof.PayloadString("jti") is not { Length: > 0 and <= 256 } jti || proof.PayloadTime("iat") is not { } issuedAt)
        {
            return TokenFailure.Proof("The DPoP proof lacks jti or iat.");
        }

        if (!string.Equals(proof.PayloadString("htm"), request.Method, StringComparison.Ordinal))
        {
            return TokenFailure.Proof("The DPoP proof was made for another HTTP method.");
        }

        if (HttpUri.Normalize(proof.PayloadString("htu")) is not { } htu || htu != request.NormalizedUri)
        {
            return TokenFailure.Proof("The DPoP proof was made for another URL.");
        }

        // Point 10: a server nonce, when this API requires one (§9).
        if (dpop.RequireNonce && !nonces.IsCurrent(proof.PayloadString("nonce"), dpop.NonceLifetime))
        {
            return new TokenFailure(TokenFailure.DpopScheme, TokenFailure.UseDpopNonce, "A DPoP nonce from this API is required.");
        }

        // Point 11: created recently (§11.1), allowing for clock skew in the future.
        var now = clock.GetUtcNow();
        if (issuedAt > now + options.ClockSkew || issuedAt < now - dpop.ProofLifetime - options.ClockSkew)
        {
            return TokenFailure.Proof("The DPoP proof's iat is outside the accepted window.");
        }

        // Point 12 (§7.1): bound to this access token ...
        var expectedAth = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(request.AccessToken)));
        if (!string.Equals(proof.PayloadString("ath"), expectedAth, StringComparison.Ordinal))
        {
            return TokenFailure.Proof("The DPoP proof's ath does not match the access token.");
        }

        // ... and made with the key the token is bound to (§6.1: cnf.jkt is the RFC 7638 thumbprint).
        var thumbprint = key.Thumbprint;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(thumbprint), Encoding.ASCII.GetBytes(request.JwkThumbprint)))
        {
            return TokenFailure.Token(TokenFailure.DpopScheme, "The DPoP proof was made with another key than the one the access token is bound to.");
        }

        // Point 11 again: single use within the window. The key is part of the id, so one client's jti cannot collide with another's.
        var proofId = VerificationKey.Base64UrlSha256(thumbprint + ":" + jti);
        var keepUntil = issuedAt + dpop.ProofLifetime + options.ClockSkew + options.ClockSkew;
        if (!await replayCache.TryAddAsync(proofId, keepUntil, cancellationToken))
        {
            return TokenFailure.Proof("The DPoP proof has already been used.");
        }

        return null;
    }
}

/// <summary>What a proof is checked against: the proof, the request's method and normalized URL, the access token and its <c>cnf.jkt</c>.</summary>
internal sealed record DpopRequest(string Proof, string Method, string NormalizedUri, string AccessToken, string JwkThumbprint);

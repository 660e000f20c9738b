using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Domain.Clients;
using AuthService.Infrastructure.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Security.DPoP;

/// <summary>
/// RFC 9449 §4.3, in its order. The structure is read by hand, strictly, because the key comes from the token
/// itself: nothing but the members named here is used, the key is rebuilt from its public members only, and the
/// signature is checked by IdentityModel (ES*, RS*, PS*) or by the server's EdDSA provider (Ed25519), never with
/// an HMAC. Every failure is the same <c>invalid_dpop_proof</c>; the reason goes to the log only.
/// </summary>
internal sealed partial class DPoPProofValidator(
    IReplayCache replayCache,
    IDPoPNonces nonces,
    IOptions<DPoPOptions> options,
    TimeProvider clock,
    ILogger<DPoPProofValidator> logger) : IDPoPProofValidator
{
    public const string ProofType = "dpop+jwt";

    /// <summary>A proof is a few hundred bytes; an RSA-4096 key makes it about 1.5 KB.</summary>
    private const int MaxProofLength = 8192;

    private const int MaxJtiLength = 256;

    /// <summary>Signature providers for keys chosen by the caller are never cached (the cache would grow with every attacker key).</summary>
    private static readonly CryptoProviderFactory Providers = new() { CacheSignatureProviders = false };

    /// <summary>JWK members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2).</summary>
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    public async ValueTask<ProtocolResult<DPoPProof>> ValidateAsync(
        DPoPPresentation presentation, string? accessToken, bool requireNonce, CancellationToken cancellationToken)
    {
        var (proof, reason) = Read(presentation, accessToken);
        if (proof is null)
        {
            LogRefused(logger, reason);
            return OAuthError.InvalidDPoPProof;
        }

        // RFC 9449 §8: a proof without the server's current nonce is answered with use_dpop_nonce and a fresh one.
        if (requireNonce && !nonces.IsValid(proof.Nonce))
        {
            return OAuthError.UseDPoPNonce;
        }

        // RFC 9449 §11.1: single use across every replica, remembered as long as the proof could be accepted.
        var acceptedUntil = proof.IssuedAt + options.Value.ProofMaxAge;
        if (!await replayCache.TryUseAsync($"dpop:{proof.Jkt}", proof.JwtId, acceptedUntil, cancellationToken))
        {
            LogRefused(logger, "jti already used");
            return OAuthError.InvalidDPoPProof;
        }

        return new DPoPProof(proof.Jkt);
    }

    private sealed record CheckedProof(string Jkt, string JwtId, DateTimeOffset IssuedAt, string? Nonce);

    private (CheckedProof? Proof, string Reason) Read(DPoPPresentation presentation, string? accessToken)
    {
        // §4.3 item 1: exactly one DPoP header; a JWS never contains a comma, so one means two headers folded into one.
        if (presentation.Proofs is not [var proof] || proof.Length is 0 or > MaxProofLength || proof.Contains(','))
        {
            return (null, "not exactly one DPoP header");
        }

        // §4.3 item 2: a JWT in JWS compact serialization: three segments (a JWE has five).
        var segments = proof.Split('.');
        if (segments.Length != 3 || !TryDecodeJson(segments[0], out var header) || !TryDecodeJson(segments[1], out var payload)
            || !TryDecodeBase64Url(segments[2], out var signature))
        {
            return (null, "not a compact JWS");
        }

        using (header)
        using (payload)
        {
            return Check(header.RootElement, payload.RootElement, Encoding.ASCII.GetBytes(segments[0] + "." + segments[1]), signature, presentation, accessToken);
        }
    }

    private (CheckedProof? Proof, string Reason) Check(
        JsonElement header, JsonElement payload, byte[] signingInput, byte[] signature, DPoPPresentation presentation, string? accessToken)
    {
        if (header.ValueKind != JsonValueKind.Object || payload.ValueKind != JsonValueKind.Object)
        {
            return (null, "header or payload is not a JSON object");
        }

        // §4.3 items 3 and 4: typ dpop+jwt (a media type, compared case-insensitively, RFC 7515 §4.1.9).
        if (!string.Equals(StringMember(header, "typ"), ProofType, StringComparison.OrdinalIgnoreCase))
        {
            return (null, "typ is not dpop+jwt");
        }

        // §4.3 item 5: an asymmetric algorithm of the allow-list; none and HS* are not on it.
        var alg = StringMember(header, "alg");
        if (!DPoPAlgorithms.IsSupported(alg))
        {
            return (null, "alg is not an allowed asymmetric algorithm");
        }

        // RFC 7515 §4.1.11: no extension is understood here, so a critical one refuses the proof.
        if (header.TryGetProperty("crit", out _))
        {
            return (null, "crit header present");
        }

        // §4.3 item 7: the jwk header is a public key.
        if (!header.TryGetProperty("jwk", out var jwk) || ReadPublicKey(jwk, alg!) is not { } publicKey)
        {
            return (null, "jwk is missing, not a public key, or does not fit alg");
        }

        // §4.3 item 6: the signature verifies with that key.
        if (!Verifies(publicKey.Key, alg!, signingInput, signature))
        {
            return (null, "signature does not verify");
        }

        // §4.3 item 3: the required claims; item 8: htm; item 9: htu.
        var jti = StringMember(payload, "jti");
        if (jti is not { Length: > 0 and <= MaxJtiLength })
        {
            return (null, "jti missing or too long");
        }

        if (!string.Equals(StringMember(payload, "htm"), presentation.Method, StringComparison.Ordinal))
        {
            return (null, "htm does not match the request method");
        }

        if (NormalizedTarget(StringMember(payload, "htu")) is not { } htu || htu != NormalizedTarget(presentation.TargetUri))
        {
            return (null, "htu does not match the endpoint");
        }

        // §4.3 item 11: iat within the window around the server's clock (§11.1).
        if (!payload.TryGetProperty("iat", out var iatElement) || iatElement.ValueKind != JsonValueKind.Number || !iatElement.TryGetDouble(out var iatSeconds)
            || iatSeconds is < 0 or > 253_402_300_799)
        {
            return (null, "iat missing or not a NumericDate");
        }

        var issuedAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(iatSeconds * 1000));
        var now = clock.GetUtcNow();
        if (issuedAt > now + options.Value.ProofClockSkew || issuedAt < now - options.Value.ProofMaxAge)
        {
            return (null, "iat outside the accepted window");
        }

        // §4.3 item 12 (§7.1): with an access token, ath is the base64url SHA-256 of it.
        if (accessToken is not null && !AthMatches(StringMember(payload, "ath"), accessToken))
        {
            return (null, "ath missing or does not match the access token");
        }

        var nonce = payload.TryGetProperty("nonce", out var nonceElement) && nonceElement.ValueKind == JsonValueKind.String ? nonceElement.GetString() : null;
        return (new CheckedProof(Thumbprint(publicKey.ThumbprintInput), jti, issuedAt, nonce), "");
    }

    /// <summary>
    /// The public key of the <c>jwk</c> header, rebuilt from its required public members only (RFC 7518 §6.2.1, §6.3.1;
    /// RFC 8037 §2), and the RFC 7638 §3.2 thumbprint input. Refused: any private member, a key without its material
    /// (a bare <c>kid</c> or <c>x5c</c>), and a key that does not fit <paramref name="alg"/> (curve, type, size).
    /// </summary>
    private static (SecurityKey Key, string ThumbprintInput)? ReadPublicKey(JsonElement jwk, string alg)
    {
        if (jwk.ValueKind != JsonValueKind.Object || PrivateMembers.Any(member => jwk.TryGetProperty(member, out _)))
        {
            return null;
        }

        switch (StringMember(jwk, "kty"))
        {
            case "EC":
                var crv = StringMember(jwk, "crv");
                var size = (alg, crv) switch
                {
                    (JwsAlgorithms.ES256, "P-256") => 32,
                    (JwsAlgorithms.ES384, "P-384") => 48,
                    (JwsAlgorithms.ES512, "P-521") => 66,
                    _ => 0,
                };
                if (size == 0 || !TryCoordinate(jwk, "x", size, out var x) || !TryCoordinate(jwk, "y", size, out var y))
                {
                    return null;
                }

                return (new JsonWebKey { Kty = "EC", Crv = crv, X = x, Y = y }, $"{{\"crv\":\"{crv}\",\"kty\":\"EC\",\"x\":\"{x}\",\"y\":\"{y}\"}}");

            case "RSA":
                // RS* and PS* only, with at least 2048 bits (RFC 7518 §3.3, §3.5).
                if (!alg.StartsWith("RS", StringComparison.Ordinal) && !alg.StartsWith("PS", StringComparison.Ordinal)
                    || StringMember(jwk, "n") is not { } n || !TryDecodeBase64Url(n, out var modulus) || modulus.Length < 256 || modulus[0] == 0
                    || StringMember(jwk, "e") is not { } e || !TryDecodeBase64Url(e, out var exponent) || exponent.Length is 0 or > 8)
                {
                    return null;
                }

                return (new JsonWebKey { Kty = "RSA", N = n, E = e }, $"{{\"e\":\"{e}\",\"kty\":\"RSA\",\"n\":\"{n}\"}}");

            case EdDsaSecurityKey.KeyType:
                if (alg != JwsAlgorithms.EdDSA || StringMember(jwk, "crv") != EdDsaSecurityKey.Curve || !TryCoordinate(jwk, "x", 32, out var point))
                {
                    return null;
                }

                TryDecodeBase64Url(point, out var publicKey);
                return (EdDsaSecurityKey.FromPublicKey(publicKey, keyId: ""), EdDsaSecurityKey.ThumbprintInput(point));

            default:
                return null;
        }
    }

    private static bool Verifies(SecurityKey key, string alg, byte[] signingInput, byte[] signature)
    {
        var factory = key is EdDsaSecurityKey ? key.CryptoProviderFactory : Providers;
        try
        {
            var provider = factory.CreateForVerifying(key, alg);
            try
            {
                return provider.Verify(signingInput, signature);
            }
            finally
            {
                factory.ReleaseSignatureProvider(provider);
            }
        }
        catch (Exception exception) when (exception is CryptographicException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            // A point not on the curve, or a key IdentityModel cannot use: not a valid proof.
            return false;
        }
    }

    /// <summary>RFC 9449 §4.3 item 9: compared without query and fragment, after RFC 3986 §6.2.2 and §6.2.3 normalisation.</summary>
    internal static string? NormalizedTarget(string? value)
    {
        if (value is null || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0)
        {
            return null;
        }

        // Lower-case scheme and host, no default port, dot segments removed, "/" for an empty path, and unreserved
        // characters unescaped are all done by Uri; GetLeftPart drops the query and the fragment.
        return uri.GetLeftPart(UriPartial.Path);
    }

    private static bool AthMatches(string? ath, string accessToken)
    {
        if (ath is null)
        {
            return false;
        }

        var expected = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ath), Encoding.ASCII.GetBytes(expected));
    }

    private static string Thumbprint(string input) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(input)));

    private static string? StringMember(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryCoordinate(JsonElement jwk, string name, int length, out string value)
    {
        value = StringMember(jwk, name) ?? "";
        return TryDecodeBase64Url(value, out var bytes) && bytes.Length == length;
    }

    /// <summary>Strict unpadded base64url (RFC 7515 §2): anything else, padding and whitespace included, is refused.</summary>
    private static bool TryDecodeBase64Url(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || !text.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
        {
            return false;
        }

        // IsValid first: TryDecodeFromChars throws on malformed input (a length of 4n+1) rather than answering false.
        if (!Base64Url.IsValid(text, out var length))
        {
            return false;
        }

        var buffer = new byte[length];
        if (!Base64Url.TryDecodeFromChars(text, buffer, out var written))
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }

    private static bool TryDecodeJson(string segment, out JsonDocument document)
    {
        document = null!;
        if (!TryDecodeBase64Url(segment, out var bytes))
        {
            return false;
        }

        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "DPoP proof refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}

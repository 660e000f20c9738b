using System.Security.Cryptography;
using System.Text;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Domain.Clients;
using AuthService.Infrastructure.Cryptography;
using AuthService.Infrastructure.Security.ClientKeys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Security.ClientAssertions;

/// <summary>
/// Verifies a JWT client assertion (RFC 7523 §3, OIDC Core §9) for the one method the client registered:
/// private_key_jwt with its public keys and an asymmetric algorithm, client_secret_jwt with an HMAC keyed by one of
/// its current secrets. The algorithm comes from the server's list for that method, never from the key or the token
/// alone, so a public key can never be used as an HMAC secret (CVE-2016-10555, CVE-2022-21449-style confusion).
/// </summary>
internal sealed class ClientAssertionValidator(
    IClientKeyResolver keyResolver,
    IClientSecretProtector secretProtector,
    IReplayCache replayCache,
    IIssuerProvider issuer,
    TimeProvider clock) : IClientAssertionValidator
{
    /// <summary>Clock skew tolerated on exp, iat and nbf: the one rule for every JWT a client signs.</summary>
    private static readonly TimeSpan ClockSkew = ClientJwtTimes.ClockSkew;

    /// <summary>An assertion may not be valid for longer than this from now (RFC 7523 §3 item 4 lets the server limit it).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    public const int MaxJtiLength = 256;

    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<string?> ValidateAsync(ClientSnapshot client, string assertion, CancellationToken cancellationToken)
    {
        JsonWebToken token;
        try
        {
            token = Handler.ReadJsonWebToken(assertion);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            return "the assertion is not a well-formed JWS";
        }

        var now = clock.GetUtcNow();
        if ((CheckHeader(client, token) ?? CheckClaims(client, token, now)) is { } failure)
        {
            return failure;
        }

        var signatureFailure = client.TokenEndpointAuthMethod == TokenEndpointAuthMethods.PrivateKeyJwt
            ? await VerifySignedAsync(client, token, assertion, cancellationToken)
            : VerifyMac(client, token, assertion, now);
        if (signatureFailure is not null)
        {
            return signatureFailure;
        }

        // RFC 7523 §3 item 7: a jti is used once. Spent only after the signature verified, so nobody else can burn it.
        ClientJwtTimes.TryGetTime(token, JwtRegisteredClaimNames.Exp, out var expiresAt);
        return await replayCache.TryUseAsync($"client_assertion:{client.ClientId}", token.Id, expiresAt + ClockSkew, cancellationToken)
            ? null
            : "the assertion's jti was already used";
    }

    /// <summary>The algorithms the client's method and registration allow.</summary>
    public static IReadOnlyList<string> AllowedAlgorithms(ClientSnapshot client)
    {
        var forMethod = client.TokenEndpointAuthMethod switch
        {
            TokenEndpointAuthMethods.PrivateKeyJwt => JwsAlgorithms.Asymmetric,
            TokenEndpointAuthMethods.ClientSecretJwt => JwsAlgorithms.Symmetric,
            _ => [],
        };
        // FAPI 2.0 Security Profile §5.4: PS256, ES256 and EdDSA only, whatever else the method allows.
        var allowed = client.IsFapi2 ? [.. forMethod.Intersect(ClientProfiles.Fapi2Algorithms, StringComparer.Ordinal)] : forMethod;
        return client.TokenEndpointAuthSigningAlg is { } registered
            ? [.. allowed.Where(alg => alg == registered)]
            : allowed;
    }

    private static string? CheckHeader(ClientSnapshot client, JsonWebToken token)
    {
        if (token.IsEncrypted)
        {
            return "encrypted assertions are not accepted";
        }

        // RFC 7515 §4.1.11: this server understands no header extension, so any crit is refused.
        if (token.TryGetHeaderValue<object>("crit", out _))
        {
            return "the assertion names critical header extensions";
        }

        // draft-ietf-oauth-rfc7523bis: typ is client-authentication+jwt; absent and JWT stay accepted for existing clients.
        if (token.Typ is { Length: > 0 } typ
            && !string.Equals(typ, "JWT", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(typ, "client-authentication+jwt", StringComparison.OrdinalIgnoreCase))
        {
            return "the assertion's typ is not accepted";
        }

        // RFC 8725 §3.1: the server decides the algorithm; "none" is never in these lists.
        return AllowedAlgorithms(client).Contains(token.Alg, StringComparer.Ordinal)
            ? null
            : $"the algorithm {Printable(token.Alg)} is not accepted for {client.TokenEndpointAuthMethod}";
    }

    private string? CheckClaims(ClientSnapshot client, JsonWebToken token, DateTimeOffset now)
    {
        // RFC 7523 §3 items 1 and 2; OIDC Core §9: iss and sub are both the client_id.
        if (!token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Iss, out var iss) || iss != client.ClientId
            || !token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var sub) || sub != client.ClientId)
        {
            return "iss and sub must both be the client_id";
        }

        // RFC 7523 §3 item 3 with draft-ietf-oauth-rfc7523bis: the audience is this server's issuer identifier, or
        // the token endpoint as OIDC Core §9 allows, and only one of them: an assertion that several servers (or
        // several endpoints) would accept could be replayed from one to another. FAPI 2.0 clients get the issuer only.
        var audiences = token.Audiences.ToList();
        if (audiences.Count != 1
            || !(audiences[0] == issuer.Issuer || (!client.IsFapi2 && audiences[0] == issuer.Url(ProtocolEndpoints.Token))))
        {
            return "the audience must be the issuer identifier or the token endpoint, alone";
        }

        // RFC 7523 §3 item 4: exp is required; this server also bounds how far ahead it may be.
        if (!ClientJwtTimes.TryGetTime(token, JwtRegisteredClaimNames.Exp, out var expiresAt))
        {
            return "exp is required and must be a NumericDate";
        }

        if (expiresAt + ClockSkew <= now)
        {
            return "the assertion has expired";
        }

        if (expiresAt > now + MaxLifetime + ClockSkew)
        {
            return "exp is too far in the future";
        }

        // RFC 7523 §3 items 5 and 6: nbf and iat, when present, are not in the future (FAPI 2.0 §5.3.2.1 skew).
        if (!ClientJwtTimes.IssuedAndValidFromNotAhead(token, now))
        {
            return "nbf or iat is in the future or not a number";
        }

        // RFC 7523 §3 item 7; OIDC Core §9: jti is required here, so the assertion can be used only once.
        return token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) && jti is { Length: > 0 and <= MaxJtiLength }
            ? null
            : "jti is required";
    }

    /// <summary>private_key_jwt: only the client's asymmetric keys, only the allowed asymmetric algorithms.</summary>
    private async Task<string?> VerifySignedAsync(ClientSnapshot client, JsonWebToken token, string assertion, CancellationToken cancellationToken)
    {
        var jwks = await keyResolver.ResolveAsync(client, token.Kid, cancellationToken);
        var keys = ClientVerificationKeys.From(jwks);
        if (keys.Count == 0)
        {
            return "the client has no usable public keys";
        }

        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidAlgorithms = AllowedAlgorithms(client),
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = true,

            // The claims were checked above, with the server's clock and the stricter rules of RFC 7523.
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidateIssuerSigningKey = false,
        };
        var result = await Handler.ValidateTokenAsync(assertion, parameters);
        return result.IsValid ? null : "the signature does not verify with the client's keys";
    }

    /// <summary>
    /// client_secret_jwt: an HMAC over the signing input keyed with the UTF-8 bytes of a current secret (OIDC Core §9),
    /// compared in constant time; every secret is tried and each key is zeroed after use. RFC 7518 §3.2: the key is at
    /// least as long as the hash, so a short (seeded) secret cannot authenticate this way.
    /// </summary>
    private string? VerifyMac(ClientSnapshot client, JsonWebToken token, string assertion, DateTimeOffset now)
    {
        var lastDot = assertion.LastIndexOf('.');
        var signingInput = Encoding.ASCII.GetBytes(assertion[..lastDot]);
        byte[] signature;
        try
        {
            signature = Base64UrlEncoder.DecodeBytes(assertion[(lastDot + 1)..]);
        }
        catch (FormatException)
        {
            return "the signature is not base64url";
        }

        var (hash, hashBytes) = token.Alg switch
        {
            JwsAlgorithms.HS256 => (HashAlgorithmName.SHA256, 32),
            JwsAlgorithms.HS384 => (HashAlgorithmName.SHA384, 48),
            _ => (HashAlgorithmName.SHA512, 64),
        };
        var matched = false;
        var usable = false;
        foreach (var secret in client.Secrets)
        {
            if (secret.ProtectedValue is null || (secret.ExpiresAt is { } expiry && expiry <= now))
            {
                continue;
            }

            var key = secretProtector.Unprotect(client.ClientId, secret.ProtectedValue);
            try
            {
                if (key.Length < hashBytes)
                {
                    continue;
                }

                usable = true;
                var expected = CryptographicOperations.HmacData(hash, key, signingInput);
                matched |= CryptographicOperations.FixedTimeEquals(expected, signature);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }

        return matched ? null
            : usable ? "the MAC does not verify with the client's secrets"
            : $"the client has no current secret of at least {hashBytes * 8} bits usable for {token.Alg}";
    }

    /// <summary>An algorithm name from the token, safe to log: short and printable only.</summary>
    private static string Printable(string? alg) =>
        alg is null ? "(none)" : alg.Length <= 16 && alg.All(c => c is >= ' ' and <= '~') ? alg : "(unprintable)";
}

using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.SigningKeys;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Cryptography;

/// <summary>
/// Validates access tokens this server issued (RFC 9068 §4, RFC 8725). Checks before the library runs:
/// compact JWS only (no JWE), bounded size, no header that would let the token choose its own key or
/// processing (<c>jku</c>, <c>x5u</c>, <c>jwk</c>, <c>x5c</c>, <c>crit</c>, <c>zip</c>; CVE-2025-59420,
/// CVE-2024-21319). Then: signature by a published key selected by <c>kid</c>, algorithm ES256,
/// RS256 or EdDSA only (no <c>none</c>, no HMAC: CVE-2024-37568), <c>typ</c> at+jwt, exact issuer, unexpired (the
/// issuer's own clock, no skew).
/// <para>
/// A token that passed is remembered by the SHA-256 of its exact text (docs/adr/0040, "validated tokens"): presented again
/// while the same key set and issuer are in force, only its lifetime is checked again, not its signature. A change of the
/// published keys (a rotation, a retirement, a revocation) starts afresh, so a token of a withdrawn key never passes from
/// memory. Bounded to <see cref="MaxRemembered"/> tokens, each kept until it expires.
/// </para>
/// </summary>
internal sealed class JwtAccessTokenValidator(SigningKeyRing keyRing, IIssuerProvider issuer, TimeProvider clock) : IAccessTokenValidator, IDisposable
{
    public const int MaxTokenLength = 8 * 1024;

    public const int MaxRemembered = 20_000;

    private readonly MemoryCache _validated = new(new MemoryCacheOptions { SizeLimit = MaxRemembered, Clock = new CacheClock(clock) });

    private static readonly string[] RefusedHeaders = ["jku", "x5u", "jwk", "x5c", "crit", "zip", "enc"];

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    public async ValueTask<ValidatedAccessToken?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length > MaxTokenLength)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var keys = keyRing.VerificationKeys;
        var expectedIssuer = issuer.Issuer;
        var digest = TokenDigest.Of(token);
        if (_validated.TryGetValue(digest, out Remembered? remembered)
            && ReferenceEquals(remembered!.Keys, keys) && string.Equals(remembered.Issuer, expectedIssuer, StringComparison.Ordinal))
        {
            return IsWithinLifetime(remembered.Token, now) ? remembered.Token : null;
        }

        if (await ValidateSignedAsync(token, keys, expectedIssuer, now) is not { } validated)
        {
            return null;
        }

        _validated.Set(digest, new Remembered(keys, expectedIssuer, validated), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = validated.ExpiresAt });
        return validated;
    }

    public void Dispose() => _validated.Dispose();

    /// <summary>The lifetime rule of <see cref="ValidateSignedAsync"/>: not before <c>nbf</c>, strictly before <c>exp</c>, no skew.</summary>
    private static bool IsWithinLifetime(ValidatedAccessToken token, DateTimeOffset now) =>
        now < token.ExpiresAt && (token.NotBefore is not { } nbf || nbf <= now);

    private static async Task<ValidatedAccessToken?> ValidateSignedAsync(string token, IReadOnlyList<SecurityKey> keys, string expectedIssuer, DateTimeOffset now)
    {
        if (ParseStrict(token) is not { } jwt)
        {
            return null;
        }

        if (jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp) && DateTimeOffset.FromUnixTimeSeconds(exp) <= now)
        {
            // Expired (or claiming to be): refused either way, without the cost of verifying a signature.
            return null;
        }

        var parameters = IssuedHere(expectedIssuer, keys);
        parameters.ValidTypes = [JwtAccessTokenIssuer.AccessTokenType, "application/" + JwtAccessTokenIssuer.AccessTokenType];
        parameters.RequireExpirationTime = true;
        parameters.ValidateLifetime = true;
        parameters.LifetimeValidator = (notBefore, expires, _, _) =>
            expires is { } exp && now < new DateTimeOffset(exp, TimeSpan.Zero) && (notBefore is not { } nbf || new DateTimeOffset(nbf, TimeSpan.Zero) <= now);
        var result = await Handler.ValidateTokenAsync(jwt, parameters);
        if (!result.IsValid)
        {
            return null;
        }

        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jwtId) || string.IsNullOrEmpty(jwtId)
            || !jwt.TryGetPayloadValue<string>("client_id", out var clientId) || string.IsNullOrEmpty(clientId)
            || string.IsNullOrEmpty(jwt.Subject))
        {
            return null;
        }

        jwt.TryGetPayloadValue<string>("scope", out var scope);
        return new ValidatedAccessToken(
            JwtId: jwtId,
            ClientId: clientId,
            Subject: jwt.Subject,
            Audiences: [.. jwt.Audiences],
            Scope: scope,
            Issuer: jwt.Issuer,
            IssuedAt: new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero),
            NotBefore: jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out _) ? new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero) : null,
            ExpiresAt: new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero))
        {
            Confirmation = ReadConfirmation(jwt),
            Actor = ReadActor(jwt, JwtAccessTokenIssuer.ActorClaim),
            MayAct = ReadActor(jwt, JwtAccessTokenIssuer.MayActClaim),
            TenantId = jwt.TryGetPayloadValue<string>(TenantClaims.TenantIdClaim, out var tenantId) && Guid.TryParse(tenantId, out var id) ? id : null,
            Family = jwt.TryGetPayloadValue<string>(AccessTokenDescriptor.FamilyClaim, out var family) && !string.IsNullOrEmpty(family) ? family : null,
        };
    }

    /// <summary>
    /// RFC 8693 §4.1 / §4.4: an object with a string <c>sub</c>, optionally nesting the prior actor under <c>act</c>.
    /// Anything else (a malformed or too deep claim) reads as an unusable actor with an empty subject, never as none.
    /// </summary>
    private static TokenActor? ReadActor(JsonWebToken jwt, string claim) =>
        jwt.TryGetPayloadValue<JsonElement>(claim, out var value) ? ParseActor(value, 1) : null;

    private static TokenActor ParseActor(JsonElement value, int depth)
    {
        if (value.ValueKind != JsonValueKind.Object || depth > TokenActor.MaxDepth
            || !value.TryGetProperty(JwtRegisteredClaimNames.Sub, out var sub) || sub.ValueKind != JsonValueKind.String)
        {
            return new TokenActor(string.Empty);
        }

        var prior = value.TryGetProperty(JwtAccessTokenIssuer.ActorClaim, out var nested) ? ParseActor(nested, depth + 1) : null;
        return new TokenActor(sub.GetString()!, prior);
    }

    private static TokenConfirmation? ReadConfirmation(JsonWebToken jwt)
    {
        if (!jwt.TryGetPayloadValue<System.Text.Json.JsonElement>(JwtAccessTokenIssuer.ConfirmationClaim, out var cnf)
            || cnf.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return null;
        }

        static string? Member(System.Text.Json.JsonElement cnf, string name) =>
            cnf.TryGetProperty(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;

        var confirmation = new TokenConfirmation(Member(cnf, TokenConfirmation.JktMember), Member(cnf, TokenConfirmation.X5tS256Member));
        return confirmation.IsEmpty ? null : confirmation;
    }

    /// <summary>
    /// Signed by a published key of this server with an allowed algorithm (no <c>none</c>, no HMAC), with this
    /// server's exact issuer. Audience, type and lifetime are each caller's to add.
    /// </summary>
    internal static TokenValidationParameters IssuedHere(string issuer, SigningKeyRing keyRing) => IssuedHere(issuer, keyRing.VerificationKeys);

    private static TokenValidationParameters IssuedHere(string issuer, IReadOnlyList<SecurityKey> keys) => new()
    {
        ValidIssuer = issuer,
        ValidateAudience = false,
        IssuerSigningKeys = keys,
        TryAllIssuerSigningKeys = false,
        ValidAlgorithms = SigningAlgorithms.Supported,
        RequireSignedTokens = true,
        ValidateLifetime = false,
    };

    /// <summary>
    /// A compact JWS of bounded size, with unambiguous JSON and none of the headers that would let a token
    /// choose its own key or processing; null otherwise. Shared by every JWT this server reads back.
    /// </summary>
    internal static JsonWebToken? ParseStrict(string token)
    {
        if (token.Length > MaxTokenLength || token.Count(c => c == '.') != 2 || !HasUnambiguousJson(token))
        {
            return null;
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException or FormatException)
        {
            return null;
        }

        return RefusedHeaders.Any(header => jwt.TryGetHeaderValue<object>(header, out _)) ? null : jwt;
    }

    /// <summary>
    /// The header and the payload must each be one JSON object without duplicate members: parsers differ
    /// on which duplicate wins (last here, first elsewhere), so a duplicate <c>alg</c>, <c>client_id</c> or
    /// <c>exp</c> would mean different things to different readers (RFC 8725 §3.6 spirit; ASVS 1.5.3).
    /// </summary>
    private static bool HasUnambiguousJson(string token)
    {
        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = token.IndexOf('.', first + 1);
        return IsStrictObject(token[..first]) && IsStrictObject(token[(first + 1)..second]);
    }

    private static bool IsStrictObject(string base64Url)
    {
        try
        {
            using var document = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(base64Url), StrictJson);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A validated token, with the key set and issuer it was validated under.</summary>
    private sealed record Remembered(IReadOnlyList<SecurityKey> Keys, string Issuer, ValidatedAccessToken Token);

    /// <summary>The SHA-256 of a token's text: a cryptographic hash, since a collision would pass a token unverified.</summary>
    private readonly record struct TokenDigest(UInt128 High, UInt128 Low)
    {
        public static TokenDigest Of(string token)
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(MemoryMarshal.AsBytes(token.AsSpan()), hash);
            var halves = MemoryMarshal.Cast<byte, UInt128>(hash);
            return new TokenDigest(halves[0], halves[1]);
        }
    }

    /// <summary>The cache's expiry follows the server's clock, as the lifetime check does.</summary>
    private sealed class CacheClock(TimeProvider clock) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => clock.GetUtcNow();
    }
}

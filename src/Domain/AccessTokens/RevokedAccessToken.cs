using AuthService.Domain.AccessTokens.Events;
using AuthService.Domain.Common;

namespace AuthService.Domain.AccessTokens;

/// <summary>
/// A JWT access token that was revoked before it expired (RFC 7009 §2). Self-contained tokens cannot
/// be recalled from resource servers that verify offline, so the denylist is what introspection
/// honours; the entry is useless, and may be purged, once the token has expired. An entry may also stand for every
/// access token of an ended refresh token family (<see cref="FamilyEntryId"/>, docs/adr/0040): it then expires with the
/// family's last access token.
/// </summary>
public sealed class RevokedAccessToken : AggregateRoot
{
    public const int MaxJwtIdLength = 100;

    private const string FamilyPrefix = "family:";

    /// <summary>
    /// The key of the entry that denies every access token carrying the family key <paramref name="familyKey"/> (the <c>fam</c>
    /// claim). The prefix's colon is outside base64url, the alphabet of every jti this server issues, so no token's jti is ever
    /// a family entry's key.
    /// </summary>
    public static string FamilyEntryId(string familyKey) => FamilyPrefix + familyKey;

    /// <summary>The family key an entry id of <see cref="FamilyEntryId"/> stands for; null for a token's own entry.</summary>
    public static string? FamilyKeyOf(string entryId) =>
        entryId.StartsWith(FamilyPrefix, StringComparison.Ordinal) ? entryId[FamilyPrefix.Length..] : null;

    private RevokedAccessToken()
    {
        JwtId = null!;
        ClientId = null!;
    }

    public string JwtId { get; private set; }

    public string ClientId { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset RevokedAt { get; private set; }

    public static RevokedAccessToken Record(string jwtId, string clientId, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        Guard.Against(string.IsNullOrEmpty(jwtId) || jwtId.Length > MaxJwtIdLength, "jti", "A revoked token needs its jti (at most 100 characters).");
        Guard.Against(string.IsNullOrEmpty(clientId), "client_id", "A revoked token needs the client it was issued to.");
        Guard.RequireUtc(now, nameof(now));
        Guard.RequireUtc(expiresAt, "exp");
        Guard.Against(expiresAt <= now, "exp", "An expired token needs no revocation entry.");
        var revoked = new RevokedAccessToken { JwtId = jwtId, ClientId = clientId, ExpiresAt = expiresAt, RevokedAt = now };
        revoked.Raise(new AccessTokenRevoked(jwtId, clientId, now, expiresAt));
        return revoked;
    }
}

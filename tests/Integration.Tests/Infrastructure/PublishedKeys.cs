using System.Text.Json;
using AuthService.Domain.SigningKeys;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>One key of a JWKS as a resource server sees it.</summary>
public sealed record PublishedKey(string Kid, string Kty, string? Alg);

/// <summary>One row of <c>signing_keys</c>; <see cref="State"/>: 0 pending, 1 active, 2 retired, 3 removed, 4 revoked.</summary>
public sealed record StoredKey(string Kid, string Algorithm, int State, DateTimeOffset CreatedAt, DateTimeOffset ActivatesAt, DateTimeOffset? ActivatedAt, DateTimeOffset? RemovableAt)
{
    public const int Pending = 0;
    public const int Active = 1;
    public const int Retired = 2;
    public const int Removed = 3;
    public const int Revoked = 4;
}

/// <summary>The published key set (JWKS) and the stored signing keys, for the rotation tests.</summary>
public static class PublishedKeys
{
    public const string JwksPath = "/.well-known/jwks.json";

    public static Task<string> GetJwksAsync(this HttpClient client) => client.GetStringAsync(JwksPath);

    public static List<PublishedKey> Keys(string jwksJson) =>
        [.. JsonDocument.Parse(jwksJson).RootElement.GetProperty("keys").EnumerateArray().Select(k => new PublishedKey(
            k.GetProperty("kid").GetString()!,
            k.GetProperty("kty").GetString()!,
            k.TryGetProperty("alg", out var alg) ? alg.GetString() : null))];

    /// <summary>The key ids published for <paramref name="algorithm"/> (ES256, RS256 or EdDSA), sorted.</summary>
    public static List<string> Kids(string jwksJson, string algorithm) =>
        [.. Keys(jwksJson).Where(k => k.Alg == algorithm).Select(k => k.Kid).Order(StringComparer.Ordinal)];

    /// <summary>The <c>kid</c> in the header of an access token.</summary>
    public static string KidOf(string token) => AccessTokens.Read(token).Kid;

    public static async Task<List<StoredKey>> StoredKeysAsync(this TestDatabase database) =>
        [.. (await database.QueryAsync(
                "SELECT key_id, algorithm, state, created_at, activates_at, activated_at, removable_at FROM signing_keys ORDER BY created_at, key_id"))
            .Select(r => new StoredKey(
                (string)r[0],
                (string)r[1],
                (int)r[2],
                Instant(r[3])!.Value,
                Instant(r[4])!.Value,
                Instant(r[5]),
                Instant(r[6])))];

    /// <summary>
    /// The invariant of every moment of a rotation: exactly one active key per algorithm (so every replica
    /// picks the same signer) and at most one successor waiting.
    /// </summary>
    public static async Task AssertOneSignerPerAlgorithmAsync(this TestDatabase database, string when)
    {
        var keys = await database.StoredKeysAsync();
        foreach (var algorithm in SigningAlgorithms.Supported)
        {
            var active = keys.Count(k => k.Algorithm == algorithm && k.State == StoredKey.Active);
            var pending = keys.Count(k => k.Algorithm == algorithm && k.State == StoredKey.Pending);
            Assert.True(active == 1, $"{when}: {active} active {algorithm} keys, expected exactly one. Keys: {Describe(keys)}");
            Assert.True(pending <= 1, $"{when}: {pending} pending {algorithm} keys, expected at most one. Keys: {Describe(keys)}");
        }
    }

    public static string Describe(IEnumerable<StoredKey> keys) =>
        string.Join("; ", keys.Select(k => $"{k.Algorithm} {k.Kid[..8]} state {k.State}"));

    private static DateTimeOffset? Instant(object value) => value switch
    {
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        DateTimeOffset offset => offset,
        _ => null,
    };
}

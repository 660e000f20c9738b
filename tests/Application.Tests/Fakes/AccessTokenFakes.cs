using AuthService.Application.Common.Interfaces;
using AuthService.Domain.AccessTokens;

namespace AuthService.Application.Tests.Fakes;

/// <summary>Answers every token with <see cref="Result"/> (null: "not a valid token") and records what it was asked.</summary>
internal sealed class FakeAccessTokenValidator : IAccessTokenValidator
{
    public ValidatedAccessToken? Result { get; set; }

    public List<string> Validated { get; } = [];

    public ValueTask<ValidatedAccessToken?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        Validated.Add(token);
        return ValueTask.FromResult(Result);
    }
}

/// <summary>Entries already stored go in <see cref="Stored"/>; entries the handler adds go in <see cref="Added"/>.</summary>
internal sealed class InMemoryRevokedAccessTokenRepository : IRevokedAccessTokenRepository
{
    public HashSet<string> Stored { get; } = new(StringComparer.Ordinal);

    public List<RevokedAccessToken> Added { get; } = [];

    public Task<bool> IsRevokedAsync(string jwtId, string? familyKey, CancellationToken cancellationToken) =>
        Task.FromResult(IsDenied(jwtId) || (familyKey is not null && IsDenied(RevokedAccessToken.FamilyEntryId(familyKey))));

    public Task<bool> IsRecordedAsync(string entryId, CancellationToken cancellationToken) => Task.FromResult(IsDenied(entryId));

    private bool IsDenied(string key) => Stored.Contains(key) || Added.Any(r => r.JwtId == key);

    public void Add(RevokedAccessToken revoked) => Added.Add(revoked);

    /// <summary>Expiry per jti of stored entries, for the purge; entries without one never expire.</summary>
    public Dictionary<string, DateTimeOffset> StoredExpiries { get; } = new(StringComparer.Ordinal);

    public List<int> DeleteBatches { get; } = [];

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        var expired = StoredExpiries.Where(e => e.Value <= now).OrderBy(e => e.Value).Take(batchSize).Select(e => e.Key).ToList();
        foreach (var jwtId in expired)
        {
            StoredExpiries.Remove(jwtId);
            Stored.Remove(jwtId);
        }

        DeleteBatches.Add(expired.Count);
        return Task.FromResult(expired.Count);
    }
}

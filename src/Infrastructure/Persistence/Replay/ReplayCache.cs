using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using AuthService.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Replay;

/// <summary>
/// The replay cache in the shared database: the primary key makes single use atomic across replicas,
/// and <c>ON CONFLICT DO NOTHING</c> (PostgreSQL and SQLite alike) turns a replay into "0 rows" rather
/// than an exception. Identifiers are stored hashed with their scope, so their length is bounded and a
/// row says nothing about the token it came from. On the embedded database the inserts go through
/// <see cref="SqliteReplayWriter"/>, which commits concurrent ones together.
/// </summary>
internal sealed class ReplayCache(AuthDbContext db, SqliteReplayWriter? sqliteWriter = null) : IReplayCache
{
    public async Task<bool> TryUseAsync(string scope, string id, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        ArgumentException.ThrowIfNullOrEmpty(id);
        var key = KeyOf(scope, id);
        if (sqliteWriter is not null)
        {
            return await sqliteWriter.TryInsertAsync(key, expiresAt.ToUnixTimeSeconds(), cancellationToken);
        }

        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO used_identifiers (key, expires_at) VALUES ({key}, {expiresAt.ToUnixTimeSeconds()}) ON CONFLICT (key) DO NOTHING",
            cancellationToken);
        return inserted == 1;
    }

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        var cutoff = now.ToUnixTimeSeconds();
        return db.UsedIdentifiers
            .Where(u => u.ExpiresAt <= cutoff)
            .OrderBy(u => u.ExpiresAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
    }

    private static string KeyOf(string scope, string id)
    {
        var bytes = Encoding.UTF8.GetBytes(scope + "\n" + id);
        return Base64Url.EncodeToString(SHA256.HashData(bytes));
    }
}

using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace AuthService.Infrastructure.Persistence.Replay;

/// <summary>
/// The replay cache's inserts into the embedded SQLite database, one writer at a time and many per commit.
/// SQLite admits one writer: concurrent inserts from separate connections get SQLITE_BUSY, which
/// Microsoft.Data.Sqlite retries after sleeping 150 ms, and every commit waits for an fsync (about 2 ms on the
/// benchmark host). So a caller queues its insert and whoever holds the gate writes everything queued in one
/// transaction: one fsync for the batch, no busy retries. Single use is still decided by the table's primary key
/// (<c>ON CONFLICT DO NOTHING</c>), within a batch too: of two inserts of one key, only the first adds a row.
/// docs/benchmarks.md, "Client authentication and DPoP (issue 10)", has the numbers.
/// </summary>
internal sealed class SqliteReplayWriter(string connectionString)
{
    private const int MaxBatch = 256;

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ConcurrentQueue<PendingInsert> queue = new();

    private sealed record PendingInsert(string Key, long ExpiresAt)
    {
        public TaskCompletionSource<bool> Inserted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Inserts the key unless present; true when this call added it.</summary>
    public async Task<bool> TryInsertAsync(string key, long expiresAt, CancellationToken cancellationToken)
    {
        var insert = new PendingInsert(key, expiresAt);
        queue.Enqueue(insert);

        // Not cancellable: the holder writes other callers' inserts, too. A batch is a few milliseconds.
        await gate.WaitAsync(CancellationToken.None);
        try
        {
            // An earlier holder may have written this insert already; results are set before the gate is released.
            while (!insert.Inserted.Task.IsCompleted)
            {
                await WriteBatchAsync();
            }
        }
        finally
        {
            gate.Release();
        }

        return await insert.Inserted.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteBatchAsync()
    {
        var batch = new List<PendingInsert>(Math.Min(queue.Count, MaxBatch));
        while (batch.Count < MaxBatch && queue.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        var results = new bool[batch.Count];
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO used_identifiers (key, expires_at) VALUES ($key, $expires_at) ON CONFLICT (key) DO NOTHING";
            var keyParameter = command.Parameters.Add("$key", SqliteType.Text);
            var expiresParameter = command.Parameters.Add("$expires_at", SqliteType.Integer);
            for (var i = 0; i < batch.Count; i++)
            {
                keyParameter.Value = batch[i].Key;
                expiresParameter.Value = batch[i].ExpiresAt;
                results[i] = await command.ExecuteNonQueryAsync() == 1;
            }

            await transaction.CommitAsync();
        }
        catch (Exception ex)
        {
            // Nothing of the batch was committed: every caller sees the failure, as with a failed insert of its own.
            foreach (var insert in batch)
            {
                insert.Inserted.TrySetException(ex);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Inserted.TrySetResult(results[i]);
        }
    }
}

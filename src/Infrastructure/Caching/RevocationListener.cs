using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AuthService.Infrastructure.Caching;

/// <summary>
/// Keeps <see cref="AccessTokenDenylist"/> and <see cref="AccountStates"/> current on PostgreSQL (docs/adr/0040, "the
/// denylist in memory"). Every row inserted into <c>revoked_access_tokens</c> sends a notification on <see cref="Channel"/>,
/// and every change of <c>users.disabled</c> and deletion of a user one on <see cref="AccountChannel"/>, from triggers, in
/// the writing transaction, so PostgreSQL delivers them only once that transaction has committed. This service holds one
/// connection of its own that listens on both channels, loads the denylist after its <c>LISTEN</c> is in place (nothing
/// committed in between is missed), and only then lets the copies answer. Every second it sends itself a probe through
/// the channel; a probe not back within two seconds, or any error of the connection, makes the copies stale (the database
/// answers each request again) until a new connection has listened and reloaded.
/// </summary>
internal sealed partial class RevocationListener(
    string connectionString,
    AccessTokenDenylist denylist,
    AccountStates accounts,
    ILogger<RevocationListener> logger) : BackgroundService
{
    /// <summary>The denylist's notification channel; the trigger of migration <c>RevocationNotifications</c> sends on it.</summary>
    public const string Channel = "auth_access_token_denied";

    /// <summary>The accounts' channel: the payload is the id of a user disabled, enabled or deleted.</summary>
    public const string AccountChannel = "auth_account_changed";

    /// <summary>The listening connection's <c>application_name</c>, as seen in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "AuthService revocations";

    private const string ProbePrefix = "probe:";

    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private string? _awaitedProbe;
    private volatile bool _probeSeen;
    private volatile bool _unreadable;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retryDelay = TimeSpan.FromMilliseconds(250);
        var lost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(() =>
                {
                    if (lost)
                    {
                        LogRestored(logger);
                        lost = false;
                    }

                    retryDelay = TimeSpan.FromMilliseconds(250);
                }, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                MarkStale();
                if (!lost)
                {
                    // Once per loss, not per retry: an outage is logged by the requests it fails.
                    LogLost(logger, ex.GetType().Name, ex.Message);
                    lost = true;
                }
            }

            try
            {
                await Task.Delay(retryDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
        }

        MarkStale();
    }

    private void MarkStale()
    {
        denylist.MarkStale();
        accounts.Suspend();
    }

    /// <summary>Listens, loads, then probes and waits for notifications until the connection fails (it never returns otherwise).</summary>
    private async Task ListenAsync(Action current, CancellationToken cancellationToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = ApplicationName };
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        _unreadable = false;
        connection.Notification += OnNotification;
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, $"LISTEN {Channel}; LISTEN {AccountChannel}", cancellationToken);
        await LoadAsync(connection, cancellationToken);
        accounts.Resume();
        current();

        var nextPurge = Stopwatch.GetTimestamp();
        while (true)
        {
            await ProbeAsync(connection, cancellationToken);
            if (Stopwatch.GetElapsedTime(nextPurge) >= TimeSpan.Zero)
            {
                denylist.Purge();
                nextPurge = Stopwatch.GetTimestamp() + (long)(PurgeInterval.TotalSeconds * Stopwatch.Frequency);
                if (denylist.Overflowed && denylist.Count < denylist.MaxEntries * 9L / 10)
                {
                    // Entries were dropped while it was full; with room again, only a reload makes it whole.
                    await LoadAsync(connection, cancellationToken);
                }
            }

            // Notifications are read (and remembered) while waiting.
            var idle = Stopwatch.GetTimestamp();
            while (ProbeInterval - Stopwatch.GetElapsedTime(idle) is { Ticks: > 0 } remaining)
            {
                await connection.WaitAsync(remaining, cancellationToken);
                ThrowIfUnreadable();
            }
        }
    }

    private void ThrowIfUnreadable()
    {
        if (_unreadable)
        {
            throw new InvalidOperationException("An unreadable notification came on the revocation channels.");
        }
    }

    private async Task LoadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        denylist.BeginLoad();
        await using (var command = new NpgsqlCommand("SELECT jti, expires_at FROM revoked_access_tokens", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                denylist.Remember(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1));
            }
        }

        ThrowIfUnreadable();
        denylist.CompleteLoad();
    }

    /// <summary>
    /// A notification sent through the server and back proves that the connection is up and that notifications reach it (a
    /// connection pooler in transaction mode would not deliver them); otherwise the copy stops answering.
    /// </summary>
    private async Task ProbeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var probe = ProbePrefix + Guid.NewGuid().ToString("N");
        _probeSeen = false;
        Volatile.Write(ref _awaitedProbe, probe);
        var started = Stopwatch.GetTimestamp();
        await using (var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection) { CommandTimeout = (int)ProbeTimeout.TotalSeconds })
        {
            command.Parameters.AddWithValue("channel", Channel);
            command.Parameters.AddWithValue("payload", probe);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        while (!_probeSeen)
        {
            ThrowIfUnreadable();
            var remaining = ProbeTimeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero || !await connection.WaitAsync(remaining, cancellationToken) && !_probeSeen)
            {
                throw new TimeoutException($"The denylist probe did not come back through {Channel} within {ProbeTimeout.TotalSeconds} s.");
            }
        }
    }

    /// <summary>Payload: the entry's expiry in unix seconds (rounded up), a space, the entry id; or this service's probe.</summary>
    private void OnNotification(object sender, NpgsqlNotificationEventArgs notification)
    {
        var payload = notification.Payload;
        if (notification.Channel == AccountChannel)
        {
            if (Guid.TryParse(payload, out var userId))
            {
                accounts.Forget(userId);
            }
            else
            {
                Unreadable();
            }

            return;
        }

        if (payload.StartsWith(ProbePrefix, StringComparison.Ordinal))
        {
            if (payload == Volatile.Read(ref _awaitedProbe))
            {
                _probeSeen = true;
            }

            return;
        }

        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && long.TryParse(payload.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var expires) && space < payload.Length - 1)
        {
            denylist.Remember(payload[(space + 1)..], DateTimeOffset.FromUnixTimeSeconds(expires));
        }
        else
        {
            Unreadable();
        }
    }

    /// <summary>Not this server's trigger: the copies can no longer be trusted (the loop reconnects and reloads).</summary>
    private void Unreadable()
    {
        MarkStale();
        _unreadable = true;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 4300, Level = LogLevel.Warning,
        Message = "The access-token denylist is answered from the database on every request until its listening connection is back ({ErrorType}: {Error})")]
    private static partial void LogLost(ILogger logger, string errorType, string error);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "The access-token denylist is in memory again: listening and reloaded")]
    private static partial void LogRestored(ILogger logger);
}

using AuthService.Domain.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AuthService.Infrastructure.Outbox;

/// <summary>
/// Delivers one outbox on every replica: each due row is first leased by one conditional UPDATE (so no two replicas send
/// it at the same moment), then sent and the outcome saved under the <see cref="OutboxOptions.Policy"/>. A crash between
/// the lease and the save leaves the row pending: once the lease runs out, another attempt is made (at least once).
/// </summary>
internal abstract class OutboxWorker<TMessage>(IServiceScopeFactory scopes, TimeProvider clock) : BackgroundService
    where TMessage : OutboxMessage
{
    private const int BatchSize = 50;

    protected TimeProvider Clock { get; } = clock;

    protected abstract OutboxOptions Settings { get; }

    protected static IOutbox<TMessage> OutboxOf(IServiceProvider services) => services.GetRequiredService<IOutbox<TMessage>>();

    /// <summary>One attempt: null when the receiver accepted the message, else why not (never a secret of the message).</summary>
    protected abstract Task<string?> SendAsync(TMessage message, IServiceProvider services, CancellationToken cancellationToken);

    protected abstract void LogDelivered(TMessage message);

    /// <summary>Records a failed attempt; by default under <see cref="OutboxOptions.Policy"/> (an outbox with its own schedule overrides it).</summary>
    protected virtual void RecordFailure(TMessage message, string error, DateTimeOffset now) => message.RecordFailure(error, Settings.Policy, now);

    /// <summary>Called after the outcome is recorded and before it is saved, so what it changes is saved with it.</summary>
    protected virtual Task AfterAttemptAsync(TMessage message, IServiceProvider services, CancellationToken cancellationToken) => Task.CompletedTask;

    protected abstract void LogFailed(TMessage message, string error);

    protected abstract void LogPassFailed(Exception exception);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Persistence.DatabaseOutage outage;
        using (var scope = scopes.CreateScope())
        {
            outage = scope.ServiceProvider.GetRequiredService<Persistence.DatabaseOutage>();
        }

        // The first pass waits one interval, so the start-up (migrations, signing keys) has run.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Settings.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await DeliverDueAsync(stoppingToken);
                outage.Reachable();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // docs/adr/0041: an outage is announced once for the whole process, not by every pass of every worker.
                if (!outage.Report(ex, GetType().Name))
                {
                    LogPassFailed(ex);
                }
            }
        }
    }

    /// <summary>One pass: every message due now, each claimed before it is sent.</summary>
    internal async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> due;
        using (var scope = scopes.CreateScope())
        {
            due = await OutboxOf(scope.ServiceProvider).ListDueAsync(Clock.GetUtcNow(), BatchSize, cancellationToken);
        }

        foreach (var id in due)
        {
            await DeliverAsync(id, cancellationToken);
        }
    }

    private async Task DeliverAsync(Guid id, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var outbox = OutboxOf(scope.ServiceProvider);
        var settings = Settings;
        var now = Clock.GetUtcNow();
        if (!await outbox.TryClaimAsync(id, now, now + settings.Lease, cancellationToken)
            || await outbox.FindAsync(id, cancellationToken) is not { } message)
        {
            return;
        }

        string? error;
        try
        {
            error = await SendAsync(message, scope.ServiceProvider, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A failure nobody foresaw counts as an attempt (so the row is given up in the end, not retried forever after
            // every lease); only the exception's type is kept, as its message might quote the message being sent.
            error = "unexpected " + ex.GetType().Name;
        }

        now = Clock.GetUtcNow();
        if (error is null)
        {
            message.MarkDelivered(now);
            LogDelivered(message);
        }
        else
        {
            RecordFailure(message, error, now);
            LogFailed(message, error);
        }

        await AfterAttemptAsync(message, scope.ServiceProvider, cancellationToken);

        // A conflict means the lease ran out and another worker took the row over: its outcome stands.
        _ = await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(cancellationToken);
    }
}

using AuthService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AuthService.Infrastructure.Caching;

/// <summary>
/// Keeps <see cref="AccessTokenDenylist"/> on the embedded SQLite database (docs/adr/0040): one process writes the database,
/// so after one load at start every later entry reaches the copy through this process's own commits. Purges expired
/// entries every minute and reloads after an overflow once there is room again.
/// </summary>
internal sealed class AccessTokenDenylistLoader(IServiceScopeFactory scopes, AccessTokenDenylist denylist) : BackgroundService
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PurgeInterval);
        try
        {
            do
            {
                await RefreshAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            denylist.MarkStale();
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            denylist.Purge();
            if (!denylist.IsCurrent && (!denylist.Overflowed || denylist.Count < denylist.MaxEntries * 9L / 10))
            {
                // Not loaded yet, a failed load, or an overflow with room again.
                await LoadAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The database answers until the next try; a failing database is reported by the requests it fails.
            denylist.MarkStale();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        denylist.BeginLoad();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        await foreach (var entry in db.RevokedAccessTokens.AsNoTracking().Select(r => new { r.JwtId, r.ExpiresAt }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            denylist.Remember(entry.JwtId, entry.ExpiresAt);
        }

        denylist.CompleteLoad();
    }
}

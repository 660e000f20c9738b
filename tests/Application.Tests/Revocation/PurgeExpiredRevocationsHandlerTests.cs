using AuthService.Application.Revocation.Commands.PurgeExpiredRevocations;
using AuthService.Application.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Tests.Revocation;

public class PurgeExpiredRevocationsHandlerTests
{
    private static readonly DateTimeOffset Start = TestClock.Start;

    private readonly InMemoryRevokedAccessTokenRepository _revocations = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly CapturingLogger<PurgeExpiredRevocationsHandler> _logger = new(LogLevel.Information);

    private Task<int> Purge(int batchSize = 1000, CancellationToken cancellationToken = default) =>
        new PurgeExpiredRevocationsHandler(_revocations, _clock, _logger)
            .Handle(new PurgeExpiredRevocations(batchSize), cancellationToken);

    private void Store(string prefix, int count, DateTimeOffset expiresAt)
    {
        for (var i = 0; i < count; i++)
        {
            _revocations.Stored.Add(prefix + i);
            _revocations.StoredExpiries[prefix + i] = expiresAt;
        }
    }

    [Fact]
    public async Task A_backlog_is_deleted_in_batches_until_a_short_batch()
    {
        Store("old-", 2500, Start.AddMinutes(-5));
        Store("live-", 3, Start.AddMinutes(5));

        var purged = await Purge(batchSize: 1000);

        Assert.Equal(2500, purged);
        Assert.Equal([1000, 1000, 500], _revocations.DeleteBatches);
        Assert.Equal(["live-0", "live-1", "live-2"], _revocations.StoredExpiries.Keys.Order(StringComparer.Ordinal));
        var entry = Assert.Single(_logger.Entries);
        Assert.Equal(3201, entry.EventId.Id);
        Assert.Contains("2500", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backlog_of_exactly_whole_batches_ends_with_an_empty_batch()
    {
        Store("old-", 2000, Start.AddDays(-1));

        var purged = await Purge(batchSize: 1000);

        Assert.Equal(2000, purged);
        Assert.Equal([1000, 1000, 0], _revocations.DeleteBatches);
        Assert.Empty(_revocations.StoredExpiries);
    }

    [Fact]
    public async Task An_entry_expiring_exactly_now_is_deleted_and_one_expiring_a_tick_later_survives()
    {
        Store("now-", 1, Start);
        Store("later-", 1, Start.AddTicks(1));

        var purged = await Purge();

        Assert.Equal(1, purged);
        Assert.Equal(["later-0"], _revocations.StoredExpiries.Keys);
        Assert.Equal(["later-0"], _revocations.Stored);
    }

    [Fact]
    public async Task With_nothing_expired_one_call_deletes_nothing_and_nothing_is_logged()
    {
        Store("live-", 5, Start.AddMinutes(1));

        var purged = await Purge();

        Assert.Equal(0, purged);
        Assert.Equal([0], _revocations.DeleteBatches);
        Assert.Equal(5, _revocations.StoredExpiries.Count);
        Assert.Empty(_logger.Entries);
    }

    [Fact]
    public async Task Expiry_is_judged_against_the_clock_at_the_time_of_the_purge()
    {
        Store("a-", 1, Start.AddHours(1));
        Store("b-", 1, Start.AddHours(3));
        _clock.Advance(TimeSpan.FromHours(2));

        var purged = await Purge();

        Assert.Equal(1, purged);
        Assert.Equal(["b-0"], _revocations.StoredExpiries.Keys);
    }

    [Fact]
    public async Task The_default_batch_size_is_1000()
    {
        Store("old-", 1001, Start.AddSeconds(-1));

        var purged = await new PurgeExpiredRevocationsHandler(_revocations, _clock, _logger)
            .Handle(new PurgeExpiredRevocations(), CancellationToken.None);

        Assert.Equal(1001, purged);
        Assert.Equal([1000, 1], _revocations.DeleteBatches);
    }

    [Fact]
    public async Task Cancellation_stops_after_the_current_batch()
    {
        Store("old-", 2500, Start.AddSeconds(-1));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var purged = await Purge(batchSize: 1000, cancelled.Token);

        Assert.Equal(1000, purged);
        Assert.Equal([1000], _revocations.DeleteBatches);
        Assert.Equal(1500, _revocations.StoredExpiries.Count);
    }
}

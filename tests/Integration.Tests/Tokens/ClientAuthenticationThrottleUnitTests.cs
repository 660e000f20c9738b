using AuthService.Infrastructure;
using AuthService.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace AuthService.Integration.Tests.Tokens;

/// <summary>
/// The throttle on its own, with a controlled clock (docs/adr/0006). The HTTP behaviour is
/// covered by ClientAuthenticationThrottlingTests.
/// </summary>
public sealed class ClientAuthenticationThrottleUnitTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly ClientAuthenticationThrottle _throttle;

    public ClientAuthenticationThrottleUnitTests()
    {
        _throttle = new ClientAuthenticationThrottle(
            Options.Create(new AuthServerOptions { ClientAuthenticationFailureLimit = 3, ClientAuthenticationFailureWindowSeconds = 60 }), _clock);
    }

    [Fact]
    public void Failures_below_the_limit_do_not_throttle()
    {
        _throttle.RecordFailure("C1", "10.0.0.1");
        _throttle.RecordFailure("C1", "10.0.0.1");

        Assert.Null(_throttle.RetryAfter("C1", "10.0.0.1"));
    }

    [Fact]
    public void Reaching_the_limit_throttles_until_the_window_ends()
    {
        for (var i = 0; i < 3; i++)
        {
            _throttle.RecordFailure("C1", "10.0.0.1");
        }

        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(TimeSpan.FromSeconds(40), _throttle.RetryAfter("C1", "10.0.0.1"));

        _clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Null(_throttle.RetryAfter("C1", "10.0.0.1"));
    }

    [Fact]
    public void The_throttle_is_per_client_and_source_address()
    {
        for (var i = 0; i < 3; i++)
        {
            _throttle.RecordFailure("C1", "10.0.0.1");
        }

        Assert.NotNull(_throttle.RetryAfter("C1", "10.0.0.1"));
        Assert.Null(_throttle.RetryAfter("C1", "10.0.0.2"));
        Assert.Null(_throttle.RetryAfter("C2", "10.0.0.1"));
    }

    [Fact]
    public void An_IPv6_source_counts_by_its_64_and_an_IPv4_mapped_one_as_its_IPv4_address()
    {
        // Three addresses of one /64 (docs/adr/0045): one budget, as one host can use any address of its /64.
        _throttle.RecordFailure("C1", "2001:db8:7:1::1");
        _throttle.RecordFailure("C1", "2001:db8:7:1::2");
        _throttle.RecordFailure("C1", "2001:db8:7:1:aaaa:bbbb:cccc:dddd");

        Assert.NotNull(_throttle.RetryAfter("C1", "2001:db8:7:1::ffff"));
        Assert.Null(_throttle.RetryAfter("C1", "2001:db8:7:2::1"));

        for (var i = 0; i < 3; i++)
        {
            _throttle.RecordFailure("C1", "::ffff:10.0.0.5");
        }

        Assert.NotNull(_throttle.RetryAfter("C1", "10.0.0.5"));
        Assert.Null(_throttle.RetryAfter("C1", "10.0.0.6"));
    }

    [Fact]
    public void A_failure_after_the_window_starts_a_new_count()
    {
        _throttle.RecordFailure("C1", "10.0.0.1");
        _throttle.RecordFailure("C1", "10.0.0.1");
        _clock.Advance(TimeSpan.FromSeconds(61));
        _throttle.RecordFailure("C1", "10.0.0.1");
        _throttle.RecordFailure("C1", "10.0.0.1");

        Assert.Null(_throttle.RetryAfter("C1", "10.0.0.1"));
    }

    [Fact]
    public void A_spray_of_random_client_ids_cannot_grow_the_table_beyond_its_bound()
    {
        for (var i = 0; i < FailureCounter.MaxTrackedKeys + 5_000; i++)
        {
            _throttle.RecordFailure("spray-" + i, "10.0.0.9");
        }

        // Full of live windows: new pairs are not tracked, so a newcomer is never throttled...
        for (var i = 0; i < 3; i++)
        {
            _throttle.RecordFailure("C1", "10.0.0.1");
        }

        Assert.Null(_throttle.RetryAfter("C1", "10.0.0.1"));

        // ...while a pair tracked before the table filled keeps counting...
        Assert.Null(_throttle.RetryAfter("spray-0", "10.0.0.9"));
        _throttle.RecordFailure("spray-0", "10.0.0.9");
        _throttle.RecordFailure("spray-0", "10.0.0.9");
        Assert.NotNull(_throttle.RetryAfter("spray-0", "10.0.0.9"));

        // ...and once the windows expire, pruning makes room again.
        _clock.Advance(TimeSpan.FromSeconds(61));
        for (var i = 0; i < 3; i++)
        {
            _throttle.RecordFailure("C1", "10.0.0.1");
        }

        Assert.NotNull(_throttle.RetryAfter("C1", "10.0.0.1"));
    }
}

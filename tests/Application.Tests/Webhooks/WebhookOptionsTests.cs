using AuthService.Infrastructure.Webhooks;

namespace AuthService.Application.Tests.Webhooks;

/// <summary>The webhook retry schedule (docs/adr/0039 "Retry schedule"): past a day by default, jittered within 10 %, then given up.</summary>
public class WebhookOptionsTests
{
    [Fact]
    public void The_default_schedule_keeps_retrying_for_more_than_a_day_then_gives_up()
    {
        var options = new WebhookOptions();
        var waits = Enumerable.Range(1, WebhookOptions.DefaultSchedule.Count).Select(n => options.RetryAfter(n, new Random(7))!.Value).ToList();

        Assert.True(waits.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait) > TimeSpan.FromDays(1));
        Assert.Null(options.RetryAfter(WebhookOptions.DefaultSchedule.Count + 1, new Random(7)));
        Assert.True(options.IsValidWebhooks);
    }

    [Fact]
    public void Every_wait_is_within_ten_percent_of_its_step()
    {
        var options = new WebhookOptions();
        var random = new Random(42);
        for (var attempt = 1; attempt <= WebhookOptions.DefaultSchedule.Count; attempt++)
        {
            var step = WebhookOptions.DefaultSchedule[attempt - 1];
            for (var i = 0; i < 50; i++)
            {
                Assert.InRange(options.RetryAfter(attempt, random)!.Value, step * 0.9, step * 1.1);
            }
        }
    }

    [Fact]
    public void A_configured_schedule_replaces_the_default_and_bad_values_are_refused()
    {
        var options = new WebhookOptions { RetrySchedule = [TimeSpan.FromSeconds(1)] };
        Assert.NotNull(options.RetryAfter(1, new Random(1)));
        Assert.Null(options.RetryAfter(2, new Random(1)));

        Assert.False(new WebhookOptions { RetrySchedule = [TimeSpan.Zero] }.IsValidWebhooks);
        Assert.False(new WebhookOptions { DisableAfter = TimeSpan.Zero }.IsValidWebhooks);
        Assert.False(new WebhookOptions { PreviousSecretGrace = TimeSpan.FromDays(31) }.IsValidWebhooks);
    }
}

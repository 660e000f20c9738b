using AuthService.Domain.Common;
using AuthService.Domain.Clients;
using AuthService.Domain.LogoutNotifications;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.LogoutNotifications;

/// <summary>The outbox row of a back-channel logout: delivery, retries with exponential backoff, giving up; and the client metadata rules.</summary>
public class LogoutNotificationTests
{
    private static readonly DeliveryPolicy Policy = new(MaxAttempts: 3, BaseDelay: TimeSpan.FromSeconds(10), MaxDelay: TimeSpan.FromSeconds(15));

    private static LogoutNotification Pending() =>
        LogoutNotification.Create(Guid.NewGuid(), "rp", Guid.NewGuid(), UserId.ToString(), "https://rp.example/logout", "logout", Now);

    [Fact]
    public void A_new_notification_is_pending_and_due_now()
    {
        var notification = Pending();

        Assert.Equal(OutboxStatus.Pending, notification.Status);
        Assert.Equal(Now, notification.NextAttemptAt);
        Assert.Equal(0, notification.Attempts);
    }

    [Fact]
    public void Failures_back_off_exponentially_up_to_the_cap_then_give_up()
    {
        var notification = Pending();

        notification.RecordFailure("the URL answered 503", Policy, Now);
        Assert.Equal(Now.AddSeconds(10), notification.NextAttemptAt);
        notification.RecordFailure("the URL answered 503", Policy, Now);
        Assert.Equal(Now.AddSeconds(15), notification.NextAttemptAt);
        Assert.Equal(OutboxStatus.Pending, notification.Status);

        notification.RecordFailure("the URL answered 500", Policy, Now);
        Assert.Equal(OutboxStatus.Failed, notification.Status);
        Assert.Equal(3, notification.Attempts);
        Assert.Equal("the URL answered 500", notification.LastError);
        AssertRefused("status", () => notification.MarkDelivered(Now));
    }

    [Fact]
    public void Delivery_counts_the_attempt_and_clears_the_error_and_lease()
    {
        var notification = Pending();
        notification.RecordFailure(new string('x', 2000), Policy, Now);
        Assert.Equal(OutboxMessage.MaxErrorLength, notification.LastError!.Length);

        notification.MarkDelivered(Now.AddSeconds(11));

        Assert.Equal(OutboxStatus.Delivered, notification.Status);
        Assert.Equal(2, notification.Attempts);
        Assert.Null(notification.LastError);
        Assert.Null(notification.LeaseUntil);
        AssertRefused("status", () => notification.RecordFailure("late", Policy, Now));
    }

    [Fact]
    public void A_notification_needs_its_parts()
    {
        AssertRefused("backchannel_logout_uri", () => LogoutNotification.Create(Guid.NewGuid(), "rp", Guid.NewGuid(), "sub", "", "logout", Now));
        AssertRefused("sid", () => LogoutNotification.Create(Guid.NewGuid(), "rp", Guid.Empty, "sub", "https://rp.example/l", "logout", Now));
        AssertRefused("sub", () => LogoutNotification.Create(Guid.NewGuid(), "rp", Guid.NewGuid(), "", "https://rp.example/l", "logout", Now));
    }

    [Theory]
    [InlineData("http://rp.example/logout")]
    [InlineData("https://rp.example/logout#f")]
    [InlineData("https://u:p@rp.example/logout")]
    [InlineData("ftp://rp.example/logout")]
    [InlineData("logout")]
    public void A_backchannel_logout_uri_must_be_https_or_loopback_http_without_fragment(string uri) =>
        AssertRefused("backchannel_logout_uri", () => Client.Register("svc", Confidential() with { BackchannelLogoutUri = uri }, Secret(), Now));

    [Theory]
    [InlineData("https://rp.example/logout?tenant=1")]
    [InlineData("http://127.0.0.1:8080/logout")]
    public void A_backchannel_logout_uri_may_be_https_with_a_query_or_loopback_http(string uri)
    {
        var client = Client.Register("svc", Confidential() with { BackchannelLogoutUri = uri, BackchannelLogoutSessionRequired = true }, Secret(), Now);

        Assert.Equal(uri, client.BackchannelLogoutUri);
        Assert.True(client.BackchannelLogoutSessionRequired);
    }

    [Fact]
    public void Session_required_needs_the_uri() =>
        AssertRefused("backchannel_logout_session_required", () => Client.Register("svc", Confidential() with { BackchannelLogoutSessionRequired = true }, Secret(), Now));

    [Fact]
    public void Changing_the_uri_is_a_change()
    {
        var client = RegisterConfidential();

        Assert.True(client.UpdateSettings(Confidential() with { BackchannelLogoutUri = "https://rp.example/logout" }, Now.AddMinutes(1)));
        Assert.False(client.UpdateSettings(Confidential() with { BackchannelLogoutUri = "https://rp.example/logout" }, Now.AddMinutes(2)));
    }
}

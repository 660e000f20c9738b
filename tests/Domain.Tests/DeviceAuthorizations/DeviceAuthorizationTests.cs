using AuthService.Domain.Common;
using AuthService.Domain.DeviceAuthorizations;
using AuthService.Domain.DeviceAuthorizations.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.DeviceAuthorizations;

public class DeviceAuthorizationTests
{
    private const string ClientId = "tv";
    private const string Code = "WDJBMJHT";

    private static readonly string DeviceCodeHash = OpaqueToken.HashOf("the-device-code");
    private static readonly Guid SessionId = new("0b6f8a55-3c1d-4e2f-8a9b-7c6d5e4f3a21");
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly DateTimeOffset AuthTime = Now.AddMinutes(-3);

    private static DeviceAuthorization Issued()
    {
        var authorization = DeviceAuthorization.Issue(DeviceCodeHash, Code, ClientId, ["openid", "orders.read"], ["https://api.example"], Now, Lifetime, Interval);
        authorization.ClearDomainEvents();
        return authorization;
    }

    private static DeviceAuthorization Approved()
    {
        var authorization = Issued();
        Assert.True(authorization.Approve(RegisterAlice(), SessionId, AuthTime, Now.AddSeconds(30)));
        authorization.ClearDomainEvents();
        return authorization;
    }

    [Fact]
    public void Issue_starts_pending_with_the_request()
    {
        var authorization = DeviceAuthorization.Issue(DeviceCodeHash, Code, ClientId, ["openid", "orders.read"], ["https://api.example"], Now, Lifetime, Interval);
        Assert.Equal(new DeviceAuthorizationRequested(DeviceCodeHash, ClientId, Now), Assert.Single(authorization.DomainEvents));
        Assert.Equal(DeviceAuthorizationStatus.Pending, authorization.Status);
        Assert.Equal(Now + Lifetime, authorization.ExpiresAt);
        Assert.Equal(Interval, authorization.Interval);
        Assert.Equal(["openid", "orders.read"], authorization.Scopes);
        Assert.Equal(["https://api.example"], authorization.Resources);
        Assert.True(authorization.AwaitsDecision(Now));
    }

    [Theory]
    [InlineData("not-a-hash", Code, 600, 5)]
    [InlineData(null, "wdjb-mjht", 600, 5)]
    [InlineData(null, Code, 0, 5)]
    [InlineData(null, Code, 1801, 5)]
    [InlineData(null, Code, 600, 0)]
    public void Issue_refuses_invalid_input(string? hash, string userCode, int lifetimeSeconds, int intervalSeconds) =>
        Assert.Throws<DomainRuleViolationException>(() => DeviceAuthorization.Issue(
            hash ?? DeviceCodeHash, userCode, ClientId, [], [], Now, TimeSpan.FromSeconds(lifetimeSeconds), TimeSpan.FromSeconds(intervalSeconds)));

    [Fact]
    public void Issue_refuses_a_local_timestamp() =>
        Assert.Throws<DomainRuleViolationException>(() => DeviceAuthorization.Issue(
            DeviceCodeHash, Code, ClientId, [], [], Now.ToOffset(TimeSpan.FromHours(2)), Lifetime, Interval));

    [Fact]
    public void Pending_polls_answer_pending_at_the_interval()
    {
        var authorization = Issued();
        Assert.Equal(DevicePoll.Pending, authorization.Poll(ClientId, null, Now.AddSeconds(1)));
        Assert.Equal(DevicePoll.Pending, authorization.Poll(ClientId, null, Now.AddSeconds(6)));
        Assert.Equal(Interval, authorization.Interval);
    }

    [Fact]
    public void A_poll_sooner_than_the_interval_slows_down_by_five_seconds_for_all_later_polls()
    {
        var authorization = Issued();
        Assert.Equal(DevicePoll.Pending, authorization.Poll(ClientId, null, Now.AddSeconds(1)));
        Assert.Equal(DevicePoll.SlowDown, authorization.Poll(ClientId, null, Now.AddSeconds(3)));
        Assert.Equal(TimeSpan.FromSeconds(10), authorization.Interval);

        // 8 s after the last poll is enough for the old interval, not for the grown one.
        Assert.Equal(DevicePoll.SlowDown, authorization.Poll(ClientId, null, Now.AddSeconds(11)));
        Assert.Equal(TimeSpan.FromSeconds(15), authorization.Interval);
        Assert.Equal(DevicePoll.Pending, authorization.Poll(ClientId, null, Now.AddSeconds(26)));
    }

    [Fact]
    public void Another_clients_poll_changes_nothing()
    {
        var authorization = Approved();
        Assert.Equal(DevicePoll.WrongClient, authorization.Poll("other", RegisterAlice(), Now.AddSeconds(40)));
        Assert.Null(authorization.LastPolledAt);
        Assert.Equal(DeviceAuthorizationStatus.Approved, authorization.Status);
    }

    [Fact]
    public void An_approved_authorization_is_redeemed_once()
    {
        var authorization = Approved();
        Assert.Equal(DevicePoll.Redeemed, authorization.Poll(ClientId, RegisterAlice(), Now.AddSeconds(40)));
        Assert.Equal(DeviceAuthorizationStatus.Redeemed, authorization.Status);
        Assert.Equal(Now.AddSeconds(40), authorization.RedeemedAt);
        Assert.IsType<DeviceAuthorizationRedeemed>(Assert.Single(authorization.DomainEvents));

        Assert.Equal(DevicePoll.AlreadyRedeemed, authorization.Poll(ClientId, RegisterAlice(), Now.AddSeconds(60)));
    }

    [Fact]
    public void Approval_records_the_user_session_and_credentials()
    {
        var authorization = Issued();
        Assert.True(authorization.Approve(RegisterAlice(), SessionId, AuthTime, Now.AddSeconds(30)));
        Assert.Equal(UserId, authorization.UserId);
        Assert.Equal(SessionId, authorization.SessionId);
        Assert.Equal(AuthTime, authorization.AuthTime);
        Assert.Equal(Stamp, authorization.SecurityStamp);
        Assert.IsType<DeviceAuthorizationApproved>(Assert.Single(authorization.DomainEvents));
        Assert.False(authorization.AwaitsDecision(Now.AddSeconds(31)));
    }

    [Fact]
    public void A_denied_authorization_answers_access_denied()
    {
        var authorization = Issued();
        Assert.True(authorization.Deny(RegisterAlice(), SessionId, AuthTime, Now.AddSeconds(30)));
        Assert.IsType<DeviceAuthorizationDenied>(Assert.Single(authorization.DomainEvents));
        Assert.Equal(DevicePoll.Denied, authorization.Poll(ClientId, RegisterAlice(), Now.AddSeconds(40)));
        Assert.Equal(DeviceAuthorizationStatus.Denied, authorization.Status);
    }

    [Fact]
    public void A_decision_is_made_once()
    {
        var authorization = Approved();
        Assert.False(authorization.Deny(RegisterAlice(), SessionId, AuthTime, Now.AddSeconds(31)));
        Assert.False(authorization.Approve(RegisterAlice(), SessionId, AuthTime, Now.AddSeconds(31)));
        Assert.Equal(DeviceAuthorizationStatus.Approved, authorization.Status);
        Assert.Empty(authorization.DomainEvents);
    }

    [Fact]
    public void An_expired_authorization_cannot_be_decided_nor_redeemed()
    {
        var authorization = Issued();
        Assert.False(authorization.Approve(RegisterAlice(), SessionId, AuthTime, Now + Lifetime));
        Assert.Equal(DevicePoll.Expired, authorization.Poll(ClientId, null, Now + Lifetime));

        var approved = Approved();
        Assert.Equal(DevicePoll.Expired, approved.Poll(ClientId, RegisterAlice(), Now + Lifetime));
        Assert.Equal(DeviceAuthorizationStatus.Approved, approved.Status);
    }

    [Fact]
    public void A_disabled_user_receives_no_tokens()
    {
        var authorization = Approved();
        var alice = RegisterAlice();
        alice.Disable("stamp-two", Now.AddSeconds(35));
        Assert.Equal(DevicePoll.UserMayNotReceiveTokens, authorization.Poll(ClientId, alice, Now.AddSeconds(40)));
        Assert.Equal(DevicePoll.UserMayNotReceiveTokens, Approved().Poll(ClientId, null, Now.AddSeconds(40)));
    }

    [Fact]
    public void A_password_change_after_approval_refuses_the_redemption()
    {
        var authorization = Approved();
        var alice = RegisterAlice();
        alice.ChangePassword(PasswordHash, "stamp-two", Now.AddSeconds(35));
        Assert.Equal(DevicePoll.CredentialsChanged, authorization.Poll(ClientId, alice, Now.AddSeconds(40)));
        Assert.NotEqual(DeviceAuthorizationStatus.Redeemed, authorization.Status);
    }

    [Fact]
    public void A_decision_needs_a_session_and_a_past_sign_in()
    {
        var authorization = Issued();
        Assert.Throws<DomainRuleViolationException>(() => authorization.Approve(RegisterAlice(), Guid.Empty, AuthTime, Now));
        Assert.Throws<DomainRuleViolationException>(() => authorization.Approve(RegisterAlice(), SessionId, Now.AddSeconds(1), Now));
    }
}

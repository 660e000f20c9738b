using AuthService.Domain.Common;
using AuthService.Domain.Sessions;
using AuthService.Domain.Sessions.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Sessions;

public class UserSessionTests
{
    private static readonly Guid SessionId = new("0b6f8a55-3c1d-4e2f-8a9b-7c6d5e4f3a21");
    private static readonly string HandleHash = OpaqueToken.HashOf("session-handle");
    private static readonly TimeSpan Absolute = TimeSpan.FromHours(8);
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);
    private static readonly SessionLifetimes Lifetimes = new(Absolute, Idle);

    private static UserSession Started() => UserSession.Start(SessionId, HandleHash, UserId, Stamp, Lifetimes, Now);

    private static UserSession Session()
    {
        var session = Started();
        session.ClearDomainEvents();
        return session;
    }

    // ---- Start ----

    [Fact]
    public void Start_keeps_the_user_the_stamp_and_the_lifetimes()
    {
        var session = Started();

        Assert.Equal(SessionId, session.Id);
        Assert.Equal(HandleHash, session.HandleHash);
        Assert.Equal(UserId, session.UserId);
        Assert.Equal(Stamp, session.SecurityStamp);
        Assert.Equal(Now, session.AuthenticatedAt);
        Assert.Equal(Now, session.LastSeenAt);
        Assert.Equal(Now + Absolute, session.ExpiresAt);
        Assert.Equal(Idle, session.IdleTimeout);
        Assert.Null(session.EndedAt);
        Assert.True(session.IsActive(Now, Stamp));
    }

    [Fact]
    public void Start_raises_UserSessionStarted()
    {
        var started = Assert.IsType<UserSessionStarted>(Assert.Single(Started().DomainEvents));

        Assert.Equal(SessionId, started.SessionId);
        Assert.Equal(UserId, started.UserId);
        Assert.Equal(Now, started.OccurredAt);
    }

    [Fact]
    public void Start_without_id_is_refused() =>
        AssertRefused("id", () => UserSession.Start(Guid.Empty, HandleHash, UserId, Stamp, Lifetimes, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("session-handle")] // the raw handle, not its hash
    [InlineData("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa")] // 42
    [InlineData("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0=")] // 44
    public void Start_with_a_handle_hash_of_the_wrong_length_is_refused(string? handleHash) =>
        AssertRefused("handle", () => UserSession.Start(SessionId, handleHash!, UserId, Stamp, Lifetimes, Now));

    [Fact]
    public void Start_without_user_is_refused() =>
        AssertRefused("user", () => UserSession.Start(SessionId, HandleHash, Guid.Empty, Stamp, Lifetimes, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Start_without_security_stamp_is_refused(string? stamp) =>
        AssertRefused("security_stamp", () => UserSession.Start(SessionId, HandleHash, UserId, stamp!, Lifetimes, Now));

    [Fact]
    public void Start_with_non_utc_now_is_refused() =>
        AssertRefused("now", () => UserSession.Start(SessionId, HandleHash, UserId, Stamp, Lifetimes, Now.ToOffset(TimeSpan.FromHours(1))));

    [Theory]
    [InlineData(0, 30)]
    [InlineData(-60, 30)]
    [InlineData(480, 0)]
    [InlineData(480, -1)]
    [InlineData(30, 31)]
    public void Start_with_invalid_lifetimes_is_refused(int absoluteMinutes, int idleMinutes) =>
        AssertRefused("lifetime", () => UserSession.Start(SessionId, HandleHash, UserId, Stamp,
            new SessionLifetimes(TimeSpan.FromMinutes(absoluteMinutes), TimeSpan.FromMinutes(idleMinutes)), Now));

    [Fact]
    public void Start_with_idle_equal_to_absolute_is_accepted()
    {
        var session = UserSession.Start(SessionId, HandleHash, UserId, Stamp, new SessionLifetimes(Idle, Idle), Now);

        Assert.Equal(Now + Idle, session.ExpiresAt);
        Assert.Equal(Idle, session.IdleTimeout);
    }

    // ---- IsActive ----

    [Fact]
    public void IsActive_is_false_after_End()
    {
        var session = Session();
        session.End(Now.AddMinutes(1));

        Assert.False(session.IsActive(Now.AddMinutes(2), Stamp));
        Assert.False(session.IsActive(Now.AddMinutes(1), Stamp));
    }

    [Fact]
    public void IsActive_is_false_from_the_idle_timeout()
    {
        var session = Session();

        Assert.True(session.IsActive(Now + Idle - TimeSpan.FromTicks(1), Stamp));
        Assert.False(session.IsActive(Now + Idle, Stamp));
        Assert.False(session.IsActive(Now + Idle + TimeSpan.FromMinutes(1), Stamp));
    }

    [Fact]
    public void IsActive_is_false_at_ExpiresAt_even_when_kept_busy()
    {
        var session = Session();
        for (var at = Now.AddMinutes(20); at < session.ExpiresAt; at = at.AddMinutes(20))
        {
            Assert.True(session.IsActive(at, Stamp));
            Assert.True(session.Touch(at));
        }

        // Last touch at 7h40: the idle window runs to 8h10, the absolute lifetime ends at 8h.
        Assert.True(session.LastSeenAt + Idle > session.ExpiresAt);
        Assert.True(session.IsActive(session.ExpiresAt.AddTicks(-1), Stamp));
        Assert.False(session.IsActive(session.ExpiresAt, Stamp));
    }

    [Theory]
    [InlineData("stamp-two")]
    [InlineData("STAMP-ONE")]
    [InlineData("stamp-one ")]
    [InlineData("")]
    public void IsActive_is_false_when_the_security_stamp_changed(string currentStamp) =>
        Assert.False(Session().IsActive(Now.AddMinutes(1), currentStamp));

    // ---- Touch ----

    [Theory]
    [InlineData(0)]
    [InlineData(1_000)]
    [InlineData(59_999)]
    public void Touch_within_a_minute_of_the_last_one_changes_nothing(int milliseconds)
    {
        var session = Session();

        Assert.False(session.Touch(Now.AddMilliseconds(milliseconds)));

        Assert.Equal(Now, session.LastSeenAt);
    }

    [Fact]
    public void Coalesced_touches_do_not_extend_the_idle_window()
    {
        var session = Session();
        session.Touch(Now.AddSeconds(30));

        Assert.False(session.IsActive(Now + Idle, Stamp));
    }

    [Fact]
    public void Touch_a_minute_or_more_after_the_last_one_extends_the_idle_window()
    {
        var session = Session();
        var at = Now.AddMinutes(1);

        Assert.True(session.Touch(at));

        Assert.Equal(at, session.LastSeenAt);
        Assert.True(session.IsActive(Now + Idle, Stamp));
        Assert.True(session.IsActive(at + Idle - TimeSpan.FromTicks(1), Stamp));
        Assert.False(session.IsActive(at + Idle, Stamp));
    }

    [Fact]
    public void Touch_coalesces_relative_to_the_latest_touch()
    {
        var session = Session();
        session.Touch(Now.AddMinutes(10));

        Assert.False(session.Touch(Now.AddMinutes(10).AddSeconds(59)));
        Assert.Equal(Now.AddMinutes(10), session.LastSeenAt);
        Assert.True(session.Touch(Now.AddMinutes(11)));
        Assert.Equal(Now.AddMinutes(11), session.LastSeenAt);
    }

    [Fact]
    public void Touch_does_not_move_the_absolute_expiry_or_raise_events()
    {
        var session = Session();

        session.Touch(Now.AddMinutes(10));

        Assert.Equal(Now + Absolute, session.ExpiresAt);
        Assert.Equal(Now, session.AuthenticatedAt);
        Assert.Empty(session.DomainEvents);
    }

    [Fact]
    public void Touch_after_End_returns_false_and_changes_nothing()
    {
        var session = Session();
        session.End(Now.AddMinutes(1));

        Assert.False(session.Touch(Now.AddMinutes(5)));

        Assert.Equal(Now, session.LastSeenAt);
        Assert.False(session.IsActive(Now.AddMinutes(5), Stamp));
    }

    [Fact]
    public void Touch_after_the_idle_timeout_does_not_revive_the_session()
    {
        // The session ended when it went idle (ASVS 7.3.1); a later request must not bring it back.
        var session = Session();
        var late = Now + Idle + TimeSpan.FromMinutes(5);

        session.Touch(late);

        Assert.False(session.IsActive(late, Stamp));
    }

    [Fact]
    public void Touch_with_non_utc_now_is_refused()
    {
        var session = Session();

        AssertRefused("now", () => session.Touch(Now.AddMinutes(5).ToOffset(TimeSpan.FromHours(2))));

        Assert.Equal(Now, session.LastSeenAt);
    }

    // ---- End ----

    [Fact]
    public void End_ends_the_session_and_raises_UserSessionEnded()
    {
        var session = Session();
        var at = Now.AddMinutes(3);

        Assert.True(session.End(at));

        Assert.Equal(at, session.EndedAt);
        var ended = Assert.IsType<UserSessionEnded>(Assert.Single(session.DomainEvents));
        Assert.Equal(SessionId, ended.SessionId);
        Assert.Equal(UserId, ended.UserId);
        Assert.Equal(at, ended.OccurredAt);
    }

    [Fact]
    public void End_twice_returns_false_and_raises_one_event()
    {
        var session = Session();
        session.End(Now.AddMinutes(3));

        Assert.False(session.End(Now.AddMinutes(4)));

        Assert.Equal(Now.AddMinutes(3), session.EndedAt);
        Assert.Single(session.DomainEvents.OfType<UserSessionEnded>());
    }

    [Fact]
    public void End_with_non_utc_now_is_refused()
    {
        var session = Session();

        AssertRefused("now", () => session.End(Now.ToOffset(TimeSpan.FromHours(-7))));

        Assert.Null(session.EndedAt);
        Assert.True(session.IsActive(Now, Stamp));
        Assert.Empty(session.DomainEvents);
    }

    [Fact]
    public void A_session_remembers_each_client_once_and_nothing_after_it_ended()
    {
        var session = Started();

        Assert.True(session.AddClient("a"));
        Assert.False(session.AddClient("a"));
        Assert.True(session.AddClient("b"));
        Assert.Equal(["a", "b"], session.ClientIds);

        session.End(Now.AddMinutes(1));
        Assert.False(session.AddClient("c"));
        Assert.Equal(["a", "b"], session.ClientIds);
    }

    [Fact]
    public void A_session_remembers_at_most_MaxClients()
    {
        var session = Started();
        for (var i = 0; i < UserSession.MaxClients; i++)
        {
            Assert.True(session.AddClient($"c{i}"));
        }

        Assert.False(session.AddClient("one-more"));
        Assert.Equal(UserSession.MaxClients, session.ClientIds.Count);
    }

    [Fact]
    public void A_new_session_records_the_password_as_its_method()
    {
        var session = Started();

        Assert.Equal([AuthenticationMethods.Password], session.AuthenticationMethods);
        Assert.Equal(AuthenticationMethods.AcrPassword, session.Acr);
    }

    [Fact]
    public void Adding_a_second_factor_raises_the_session_to_mfa_under_a_new_handle_and_keeps_its_id()
    {
        var session = Started();
        session.AddClient("a");
        var newHash = OpaqueToken.HashOf("another-handle");

        Assert.True(session.AddSecondFactor(newHash, Now.AddMinutes(2), Stamp));

        Assert.Equal(SessionId, session.Id);
        Assert.Equal(newHash, session.HandleHash);
        Assert.Equal(AuthenticationMethods.PasswordAndOtp, session.AuthenticationMethods);
        Assert.Equal(AuthenticationMethods.AcrMfa, session.Acr);
        Assert.Equal(Now.AddMinutes(2), session.AuthenticatedAt);
        Assert.Equal(["a"], session.ClientIds);
        Assert.Contains(session.DomainEvents, e => e is UserSessionSteppedUp);
    }

    [Fact]
    public void Adding_a_second_factor_to_a_session_of_a_sign_in_link_keeps_email_not_pwd()
    {
        var session = UserSession.Start(SessionId, HandleHash, UserId, Stamp, Lifetimes, Now, authenticationMethods: AuthenticationMethods.EmailLinkOnly);

        Assert.True(session.AddSecondFactor(OpaqueToken.HashOf("another-handle"), Now.AddMinutes(2), Stamp));

        Assert.Equal([AuthenticationMethods.EmailLink, AuthenticationMethods.OneTimePassword, AuthenticationMethods.MultipleFactors], session.AuthenticationMethods);
        Assert.Equal(AuthenticationMethods.AcrMfa, session.Acr);
    }

    [Fact]
    public void An_ended_session_or_one_with_two_factors_already_is_not_raised()
    {
        var ended = Started();
        ended.End(Now);
        Assert.False(ended.AddSecondFactor(OpaqueToken.HashOf("h2"), Now, Stamp));

        var twice = Started();
        Assert.True(twice.AddSecondFactor(OpaqueToken.HashOf("h2"), Now, Stamp));
        Assert.False(twice.AddSecondFactor(OpaqueToken.HashOf("h3"), Now, Stamp));
        Assert.False(Started().AddSecondFactor(OpaqueToken.HashOf("h4"), Now, "another-stamp"));
    }
}

using AuthService.Application.Common.Exceptions;
using AuthService.Application.Authorization;
using AuthService.Application.Common.Security;
using AuthService.Application.SignIn;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static AuthService.Application.Tests.SignInData;
using SignInCommand = AuthService.Application.SignIn.Commands.SignIn.SignIn;

namespace AuthService.Application.Tests.Interaction;

public class SignInHandlerTests
{
    private const string Address = "203.0.113.9";

    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly InMemoryUserRepository _users = new();
    private readonly InMemoryUserSessionRepository _sessions = new();
    private readonly InMemoryPendingSignInRepository _pending = new();
    private readonly InMemoryPasskeyRepository _passkeys = new();
    private readonly InMemorySecondFactorEnrolmentRepository _enrolments = new();
    private readonly CountingPasswordHasher _hasher = new();
    private readonly FakeLoginThrottle _throttle = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly RecordingAuditTrail _audit = new();
    private readonly CapturingLogger<PasswordSignIn> _logger = new();
    private readonly SignInHandler _handler;
    private readonly User _user;

    public SignInHandlerTests()
    {
        _catalog.Add(RegisterWeb());
        _user = RegisterUser();
        _users.Add(_user);
        _handler = new SignInHandler(
            AuthorizationRequestFakes.Resolver(_catalog, _clock),
            new PasswordSignIn(_users, _sessions, new SecondFactorStep(_enrolments, _passkeys, _pending, _users), _hasher, _throttle, _unitOfWork, _audit,
                InMemoryLogoutNotificationRepository.Propagation(new InMemoryClientRepository(), _sessions), Options.Create(new SignInOptions()), _clock, _logger),
            new FakeIssuerProvider());
    }

    private Task<InteractionOutcome> SignIn(
        string? username = "alice", string? password = Password, string? currentHandle = null, IReadOnlyDictionary<string, string>? parameters = null) =>
        _handler.Handle(new SignInCommand(parameters ?? Request(), username, password, currentHandle, Address), CancellationToken.None);

    private static InteractionOutcome.ShowLogin AssertFailed(InteractionOutcome outcome, string? username = "alice", TimeSpan? retryAfter = null)
    {
        var login = Assert.IsType<InteractionOutcome.ShowLogin>(outcome);
        Assert.True(login.Failed);
        Assert.Equal(username, login.Username);
        Assert.Equal(retryAfter, login.RetryAfter);
        Assert.Equal(ClientId, login.Request.Client.ClientId);
        return login;
    }

    private static InteractionOutcome.Continue AssertContinue(InteractionOutcome outcome)
    {
        var next = Assert.IsType<InteractionOutcome.Continue>(outcome);
        Assert.NotNull(next.NewSessionHandle);
        return next;
    }

    [Fact] // docs/adr/0035: a passkey counts as a second factor, so the right password starts no session but the second step.
    public async Task An_account_with_a_passkey_and_no_authenticator_app_goes_to_the_second_step()
    {
        _passkeys.Add(Domain.Passkeys.Passkey.Register(Guid.NewGuid(), _user.Id, new byte[Domain.Passkeys.Passkey.MinCredentialIdLength], [1], 0, [],
            Guid.Empty, backupEligible: false, backedUp: false, "Key", _clock.GetUtcNow()));

        var second = Assert.IsType<InteractionOutcome.ShowSecondFactor>(await SignIn());

        Assert.Equal(_user.Id, Assert.Single(_pending.Pending).UserId);
        Assert.False(second.Failed);
    }

    private void LockOut(User user)
    {
        for (var i = 0; i < LockoutPolicy.Default.MaxFailedAttempts; i++)
        {
            user.RecordFailedLogin(_clock.GetUtcNow(), LockoutPolicy.Default);
        }
    }

    // ---- the request ----

    [Fact]
    public async Task Invalid_authorization_request_is_answered_like_the_authorization_endpoint_without_checking_the_password()
    {
        var outcome = await SignIn(parameters: Request().With("client_id", "nobody"));

        Assert.IsType<InteractionOutcome.ErrorPage>(outcome);
        Assert.Empty(_hasher.VerifiedHashes);
        Assert.Empty(_sessions.Sessions);
    }

    [Fact]
    public async Task Invalid_parameter_after_the_redirect_uri_is_redirected()
    {
        var outcome = await SignIn(parameters: Request().With("response_type", "token"));

        var redirect = Assert.IsType<InteractionOutcome.Redirect>(outcome);
        Assert.Equal("unsupported_response_type", redirect.ResponseParameters[0].Value);
        Assert.Empty(_hasher.VerifiedHashes);
    }

    // ---- failures: all the same ----

    [Fact]
    public async Task Unknown_user_fails_after_verifying_the_decoy_hash()
    {
        var outcome = await SignIn(username: "mallory");

        AssertFailed(outcome, "mallory");
        var verified = Assert.Single(_hasher.VerifiedHashes);
        Assert.False(string.IsNullOrEmpty(verified));
        Assert.NotEqual(_user.PasswordHash, verified);
        Assert.Equal([Address], _throttle.Failures);
        Assert.Empty(_sessions.Sessions);

        // Only the audit entry is saved: no user to count the failure on, and the typed name is not kept.
        Assert.Equal(1, _unitOfWork.Saves);
        var record = Assert.Single(_audit.Records);
        Assert.Equal("user.sign_in_failed", record.EventType);
        Assert.Null(record.SubjectId);
        Assert.Equal("unknown_user", record.Details!["reason"]);
        Assert.DoesNotContain("mallory", record.DetailsJson!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_audited_against_the_user_with_its_reason()
    {
        AssertFailed(await SignIn(password: "not-the-password-0"));

        var record = Assert.Single(_audit.Records);
        Assert.Equal("user.sign_in_failed", record.EventType);
        Assert.Equal(_user.Id.ToString(), record.SubjectId);
        Assert.Equal(ClientId, record.ClientId);
        Assert.Equal("wrong_password", record.Details!["reason"]);
        Assert.DoesNotContain("not-the-password-0", record.DetailsJson!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_user_costs_one_verification_like_a_wrong_password()
    {
        await SignIn(username: "mallory");
        await SignIn(password: "wrong password");

        Assert.Equal(2, _hasher.VerifiedHashes.Count);
        Assert.Equal(_user.PasswordHash, _hasher.VerifiedHashes[1]);
        Assert.True(_hasher.HashCalls <= 1, "the decoy is hashed at most once");
    }

    [Fact]
    public async Task User_without_a_password_fails_after_verifying_the_decoy_hash()
    {
        var nopass = RegisterUser("nopass", email: null, passwordHash: null);
        _users.Add(nopass);

        var outcome = await SignIn(username: "nopass");

        AssertFailed(outcome, "nopass");
        Assert.Single(_hasher.VerifiedHashes);
        Assert.Empty(_sessions.Sessions);
        Assert.Equal([Address], _throttle.Failures);
    }

    [Fact]
    public async Task Wrong_password_fails_and_counts_on_the_account_and_the_address()
    {
        var outcome = await SignIn(password: "wrong password");

        AssertFailed(outcome);
        Assert.Equal(1, _user.FailedLoginCount);
        Assert.Null(_user.LockoutEndsAt);
        Assert.Equal([Address], _throttle.Failures);
        Assert.Equal(1, _unitOfWork.Saves);
        Assert.Empty(_sessions.Sessions);
    }

    [Fact]
    public async Task Disabled_user_with_the_right_password_fails_without_counting_on_the_account()
    {
        _user.Disable("stamp-2", _clock.GetUtcNow());

        var outcome = await SignIn();

        AssertFailed(outcome);
        Assert.Equal(0, _user.FailedLoginCount);
        Assert.Equal([Address], _throttle.Failures);
        Assert.Empty(_sessions.Sessions);
        Assert.Null(_user.LastLoginAt);
    }

    [Fact]
    public async Task Locked_out_user_with_the_right_password_fails()
    {
        LockOut(_user);

        var outcome = await SignIn();

        AssertFailed(outcome);
        Assert.Empty(_sessions.Sessions);
        Assert.Equal(LockoutPolicy.Default.MaxFailedAttempts, _user.FailedLoginCount);
        Assert.Null(_user.LastLoginAt);
    }

    [Fact]
    public async Task Every_failure_looks_the_same()
    {
        var disabled = RegisterUser("dora", "dora@example.com");
        disabled.Disable("stamp-2", _clock.GetUtcNow());
        var locked = RegisterUser("lou", "lou@example.com");
        LockOut(locked);
        _users.Add(disabled);
        _users.Add(locked);

        var outcomes = new[]
        {
            await SignIn(username: "mallory"),
            await SignIn(username: "alice", password: "wrong password"),
            await SignIn(username: "dora"),
            await SignIn(username: "lou"),
        };

        foreach (var outcome in outcomes)
        {
            var login = Assert.IsType<InteractionOutcome.ShowLogin>(outcome);
            Assert.True(login.Failed);
            Assert.Null(login.RetryAfter);
            Assert.Equal(ClientId, login.Request.Client.ClientId);
        }

        Assert.Equal(["mallory", "alice", "dora", "lou"], outcomes.Cast<InteractionOutcome.ShowLogin>().Select(l => l.Username));
        Assert.Equal(4, _hasher.VerifiedHashes.Count);
        Assert.Equal(4, _throttle.Failures.Count);
        Assert.Empty(_sessions.Sessions);
    }

    [Theory]
    [InlineData(null, Password)]
    [InlineData("", Password)]
    [InlineData("alice", null)]
    [InlineData("alice", "")]
    public async Task Missing_username_or_password_fails_without_a_verification(string? username, string? password)
    {
        var outcome = await SignIn(username, password);

        AssertFailed(outcome, username);
        Assert.Empty(_hasher.VerifiedHashes);
        Assert.Empty(_sessions.Sessions);
    }

    [Fact]
    public async Task Overlong_password_fails_without_a_verification()
    {
        var outcome = await SignIn(password: new string('p', PasswordPolicy.MaxLength + 1));

        AssertFailed(outcome);
        Assert.Empty(_hasher.VerifiedHashes);
    }

    [Fact]
    public async Task Overlong_username_fails_without_a_lookup_or_verification()
    {
        var username = new string('u', User.MaxEmailLength + 1);

        var outcome = await SignIn(username: username);

        AssertFailed(outcome, username);
        Assert.Empty(_hasher.VerifiedHashes);
    }

    [Fact]
    public async Task Failure_is_logged_as_a_security_event_without_the_password()
    {
        await SignIn(password: "wrong password");

        var entry = Assert.Single(_logger.Entries, e => e.EventId.Id == 3001);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains(ClientId, entry.Message, StringComparison.Ordinal);
        Assert.Contains(Address, entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_logger.Entries, e => e.Message.Contains("wrong password", StringComparison.Ordinal));
    }

    // ---- lockout and throttle ----

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_then_the_right_one_fails()
    {
        for (var i = 0; i < 5; i++)
        {
            AssertFailed(await SignIn(password: "wrong password"));
        }

        Assert.Equal(5, _user.FailedLoginCount);
        Assert.Equal(_clock.GetUtcNow() + LockoutPolicy.Default.BaseLockout, _user.LockoutEndsAt);

        AssertFailed(await SignIn());

        Assert.Empty(_sessions.Sessions);
        Assert.Equal(6, _throttle.Failures.Count);
    }

    [Fact]
    public async Task Four_wrong_passwords_do_not_lock_the_account()
    {
        for (var i = 0; i < 4; i++)
        {
            await SignIn(password: "wrong password");
        }

        Assert.Null(_user.LockoutEndsAt);
        AssertContinue(await SignIn());
        Assert.Equal(0, _user.FailedLoginCount);
    }

    [Fact]
    public async Task Lockout_is_temporary()
    {
        for (var i = 0; i < 5; i++)
        {
            await SignIn(password: "wrong password");
        }

        _clock.Advance(LockoutPolicy.Default.BaseLockout);

        AssertContinue(await SignIn());
        Assert.Equal(0, _user.FailedLoginCount);
        Assert.Null(_user.LockoutEndsAt);
    }

    [Fact]
    public async Task Throttled_address_fails_with_retry_after_without_a_lookup_or_verification()
    {
        _throttle.Wait = TimeSpan.FromSeconds(42);

        var outcome = await SignIn();

        AssertFailed(outcome, retryAfter: TimeSpan.FromSeconds(42));
        Assert.Empty(_hasher.VerifiedHashes);
        Assert.Equal(0, _throttle.SlotsEntered);
        Assert.Empty(_sessions.Sessions);
        Assert.Contains(_logger.Entries, e => e.EventId.Id == 3002);
    }

    [Fact]
    public async Task Saturated_password_check_gate_fails_with_retry_after_and_computes_no_hash()
    {
        _throttle.Saturated = true;

        var outcome = await SignIn();

        AssertFailed(outcome, retryAfter: TimeSpan.FromSeconds(5));
        Assert.Empty(_hasher.VerifiedHashes);
        Assert.Equal(0, _hasher.HashCalls);
        Assert.Empty(_throttle.Failures);
        Assert.Empty(_sessions.Sessions);
        Assert.Contains(_logger.Entries, e => e.EventId.Id == 3004);
    }

    [Fact]
    public async Task Password_is_verified_inside_a_slot_that_is_released()
    {
        var insideSlot = new List<bool>();
        _hasher.OnVerify = () => insideSlot.Add(_throttle.InSlot);

        await SignIn(password: "wrong password");
        await SignIn();

        Assert.Equal([true, true], insideSlot);
        Assert.Equal(2, _throttle.SlotsEntered);
        Assert.Equal(2, _throttle.SlotsReleased);
    }

    [Fact]
    public async Task Concurrency_conflict_on_the_failure_save_is_retried_on_fresh_state_and_the_failure_is_kept()
    {
        // Another sign-in of the same account recorded a failure first: the store now holds count 1.
        var saves = 0;
        User? fresh = null;
        _unitOfWork.RaceOnSave = () =>
        {
            if (++saves == 1)
            {
                fresh = FreshCopy(_user);
                fresh.RecordFailedLogin(_clock.GetUtcNow(), LockoutPolicy.Default);
                _users.Users.Remove(_user);
                _users.Users.Add(fresh);
                return SaveResult.ConcurrencyConflict;
            }

            return SaveResult.Saved;
        };

        var outcome = await SignIn(password: "wrong password");

        AssertFailed(outcome);
        Assert.NotNull(fresh);
        Assert.Equal(2, fresh.FailedLoginCount);
        Assert.Equal(2, _unitOfWork.Attempts);
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task Failure_save_conflicting_every_time_gives_up_after_five_attempts()
    {
        _unitOfWork.ConflictWith = SaveResult.ConcurrencyConflict;

        await Assert.ThrowsAsync<ConflictException>(() => SignIn(password: "wrong password"));

        Assert.Equal(5, _unitOfWork.Attempts);
    }

    // ---- success ----

    [Fact]
    public async Task Success_starts_a_session_whose_handle_hash_is_stored()
    {
        _clock.Advance(TimeSpan.FromMinutes(3));
        var now = _clock.GetUtcNow();

        var outcome = await SignIn();

        var next = AssertContinue(outcome);
        var handle = next.NewSessionHandle!;
        Assert.Equal(OpaqueToken.HashLength, handle.Length);
        var session = Assert.Single(_sessions.Sessions);
        Assert.Equal(OpaqueToken.HashOf(handle), session.HandleHash);
        Assert.NotEqual(handle, session.HandleHash);
        Assert.Equal(_user.Id, session.UserId);
        Assert.Equal(_user.SecurityStamp, session.SecurityStamp);
        Assert.Equal(now, session.AuthenticatedAt);
        Assert.Equal(now + new SignInOptions().SessionLifetime, session.ExpiresAt);
        Assert.Equal(new SignInOptions().SessionIdleTimeout, session.IdleTimeout);
        Assert.Null(session.EndedAt);
        Assert.Equal(now, _user.LastLoginAt);
        Assert.Equal(1, _unitOfWork.Saves);
        Assert.Empty(_throttle.Failures);
        Assert.Contains(_logger.Entries, e => e.EventId.Id == 3003);
    }

    [Fact]
    public async Task Success_resets_the_failure_count()
    {
        await SignIn(password: "wrong password");
        await SignIn(password: "wrong password");

        AssertContinue(await SignIn());

        Assert.Equal(0, _user.FailedLoginCount);
    }

    [Fact]
    public async Task Success_continues_with_the_same_parameters()
    {
        var parameters = Request();

        var next = AssertContinue(await SignIn(parameters: parameters));

        Assert.Equal(parameters.OrderBy(p => p.Key, StringComparer.Ordinal), next.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Success_removes_prompt_login_and_max_age_zero_and_keeps_prompt_consent()
    {
        var next = AssertContinue(await SignIn(parameters: Request().With("prompt", "login consent").With("max_age", "0")));

        Assert.Equal("consent", next.Parameters["prompt"]);
        Assert.False(next.Parameters.ContainsKey("max_age"));
        Assert.Equal(State, next.Parameters["state"]);
    }

    [Theory]
    [InlineData("login")]
    [InlineData("select_account")]
    [InlineData("login select_account")]
    public async Task Success_removes_the_prompts_it_satisfied(string prompt)
    {
        var next = AssertContinue(await SignIn(parameters: Request().With("prompt", prompt)));

        Assert.False(next.Parameters.ContainsKey("prompt"));
    }

    [Fact]
    public async Task Success_ends_the_browsers_old_session()
    {
        var (old, oldHandle) = StartSession(_user, _clock.GetUtcNow());
        _sessions.Add(old);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var next = AssertContinue(await SignIn(currentHandle: oldHandle));

        Assert.Equal(_clock.GetUtcNow(), old.EndedAt);
        Assert.NotEqual(oldHandle, next.NewSessionHandle);
        Assert.Equal(2, _sessions.Sessions.Count);
        Assert.Null(_sessions.Sessions.Single(s => s.Id != old.Id).EndedAt);
    }

    [Fact]
    public async Task Failure_leaves_the_browsers_old_session_alone()
    {
        var (old, oldHandle) = StartSession(_user, _clock.GetUtcNow());
        _sessions.Add(old);

        AssertFailed(await SignIn(password: "wrong password", currentHandle: oldHandle));

        Assert.Null(old.EndedAt);
    }

    [Fact]
    public async Task Success_by_email_address_and_in_another_case()
    {
        AssertContinue(await SignIn(username: "Alice@Example.COM"));
        AssertContinue(await SignIn(username: "ALICE"));

        Assert.Equal(2, _sessions.Sessions.Count);
        Assert.All(_sessions.Sessions, s => Assert.Equal(_user.Id, s.UserId));
    }

    [Fact]
    public async Task Success_with_an_old_hash_stores_a_new_hash()
    {
        var legacy = RegisterUser("lego", "lego@example.com", passwordHash: FakePasswordHasher.LegacyPrefix + Password);
        _users.Add(legacy);

        AssertContinue(await SignIn(username: "lego"));

        Assert.Equal(FakePasswordHasher.CurrentPrefix + Password, legacy.PasswordHash);
        Assert.Equal(1, _hasher.HashCalls);
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task Success_with_a_current_hash_computes_no_new_hash()
    {
        var before = _user.PasswordHash;

        AssertContinue(await SignIn());

        Assert.Equal(before, _user.PasswordHash);
        Assert.Equal(0, _hasher.HashCalls);
    }

    [Fact]
    public async Task Concurrency_conflict_on_the_session_save_is_retried_on_fresh_state()
    {
        var saves = 0;
        User? fresh = null;
        _unitOfWork.RaceOnSave = () =>
        {
            if (++saves == 1)
            {
                // A parallel sign-in of the same account committed first; the failed unit of work is discarded.
                fresh = FreshCopy(_user);
                _users.Users.Remove(_user);
                _users.Users.Add(fresh);
                _sessions.Sessions.Clear();
                return SaveResult.ConcurrencyConflict;
            }

            return SaveResult.Saved;
        };

        var next = AssertContinue(await SignIn());

        var session = Assert.Single(_sessions.Sessions);
        Assert.Equal(OpaqueToken.HashOf(next.NewSessionHandle!), session.HandleHash);
        Assert.NotNull(fresh);
        Assert.Equal(_clock.GetUtcNow(), fresh.LastLoginAt);
        Assert.Equal(2, _unitOfWork.Attempts);
    }

    // ---- the command ----

    [Fact]
    public void ToString_never_contains_the_password()
    {
        var command = new SignInCommand(Request(), "alice", "s3cret-Pa55word!", OpaqueToken.New(), Address);

        var text = command.ToString();

        Assert.DoesNotContain("s3cret-Pa55word!", text, StringComparison.Ordinal);
        Assert.Contains("alice", text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-Pa55word!", $"{command}", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_lifetimes_come_from_the_options()
    {
        var handler = new SignInHandler(
            AuthorizationRequestFakes.Resolver(_catalog, _clock),
            new PasswordSignIn(_users, _sessions, new SecondFactorStep(_enrolments, _passkeys, _pending, _users), _hasher, _throttle, _unitOfWork, _audit,
                InMemoryLogoutNotificationRepository.Propagation(new InMemoryClientRepository(), _sessions),
                Options.Create(new SignInOptions { SessionLifetime = TimeSpan.FromHours(1), SessionIdleTimeout = TimeSpan.FromMinutes(20) }), _clock, _logger),
            new FakeIssuerProvider());

        var outcome = await handler.Handle(new SignInCommand(Request(), "alice", Password, null, Address), CancellationToken.None);

        AssertContinue(outcome);
        var session = Assert.Single(_sessions.Sessions);
        Assert.Equal(_clock.GetUtcNow().AddHours(1), session.ExpiresAt);
        Assert.Equal(_clock.GetUtcNow().AddMinutes(20), session.IdleExpiresAt);
    }
}

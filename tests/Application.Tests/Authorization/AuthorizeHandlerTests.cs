using AuthService.Application.Common.Exceptions;
using AuthService.Application.Authorization;
using AuthService.Application.Authorization.Commands.Authorize;
using AuthService.Application.SignIn;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Common;
using AuthService.Domain.Consents;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;
using Microsoft.Extensions.Options;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.Authorization;

public class AuthorizeHandlerTests
{
    private const string Issuer = FakeIssuerProvider.DefaultIssuer;

    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly InMemoryUserRepository _users = new();
    private readonly InMemoryUserSessionRepository _sessions = new();
    private readonly InMemoryConsentRepository _consents = new();
    private readonly InMemoryAuthorizationCodeRepository _codes = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly InMemorySecondFactorEnrolmentRepository _enrolments = new();
    private readonly InMemoryPendingSignInRepository _pending = new();
    private readonly InMemoryPasskeyRepository _passkeys = new();
    private readonly InMemoryTenantRepository _tenants = new();
    private readonly InMemoryTenantMembershipRepository _memberships;
    private readonly AuthorizeHandler _handler;
    private readonly User _user;

    public AuthorizeHandlerTests()
    {
        _memberships = new InMemoryTenantMembershipRepository { Tenants = _tenants };
        _catalog.Add(RegisterWeb()).Add(RegisterWeb("first-party", WebSettings(requireConsent: false)));
        _user = RegisterUser();
        _users.Add(_user);
        _handler = new AuthorizeHandler(
            AuthorizationRequestFakes.Resolver(_catalog, _clock),
            new BrowserSessions(_sessions, _users, _clock),
            _consents,
            _codes,
            _sessions,
            new SecondFactorStep(_enrolments, _passkeys, _pending, _users),
            new TenantSelector(_tenants, _memberships),
            _unitOfWork,
            new FakeIssuerProvider(),
            Options.Create(new SignInOptions()),
            _clock);
    }

    private Task<InteractionOutcome> Authorize(IReadOnlyDictionary<string, string> parameters, string? handle) =>
        _handler.Handle(new Authorize(parameters, handle), CancellationToken.None);

    /// <summary>A session started now; the clock then moves on by <paramref name="after"/>.</summary>
    private (UserSession Session, string Handle) SignedIn(TimeSpan? after = null)
    {
        var (session, handle) = StartSession(_user, _clock.GetUtcNow());
        _sessions.Add(session);
        _clock.Advance(after ?? TimeSpan.FromSeconds(10));
        return (session, handle);
    }

    private void Consented(params string[] scopes) =>
        _consents.Add(Consent.Grant(_user.Id, ClientId, scopes, _clock.GetUtcNow()));

    private void AssertNothingWritten()
    {
        Assert.Empty(_codes.Codes);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    private static void AssertErrorRedirect(InteractionOutcome outcome, string error, string? state = State)
    {
        var redirect = Assert.IsType<InteractionOutcome.Redirect>(outcome);
        Assert.Equal(RedirectUri, redirect.Target.RedirectUri);
        var names = redirect.ResponseParameters.Select(p => p.Key).ToList();
        Assert.Equal(state is null ? ["error", "error_description", "iss"] : ["error", "error_description", "state", "iss"], names);
        Assert.Equal(error, redirect.ResponseParameters[0].Value);
        Assert.Equal(Issuer, redirect.ResponseParameters[^1].Value);
        if (state is not null)
        {
            Assert.Equal(state, redirect.ResponseParameters[^2].Value);
        }
    }

    private static string CodeOf(InteractionOutcome outcome)
    {
        var redirect = Assert.IsType<InteractionOutcome.Redirect>(outcome);
        Assert.Equal("code", redirect.ResponseParameters[0].Key);
        return redirect.ResponseParameters[0].Value;
    }

    // ---- step-up (acr_values) ----

    private const string Mfa = "urn:authservice:acr:mfa";

    private void EnrolSecondFactor()
    {
        var enrolment = Domain.SecondFactors.SecondFactorEnrolment.For(_user.Id);
        enrolment.BeginTotp([1, 2, 3], "kek", _clock.GetUtcNow());
        Assert.Equal(Domain.SecondFactors.SecondFactorCheck.Accepted, enrolment.ConfirmTotp("000000", new ZeroCodes(), _clock.GetUtcNow()));
        _enrolments.Add(enrolment);
    }

    private sealed class ZeroCodes : Domain.SecondFactors.ITotpCodes
    {
        public string CodeAt(long timeStep) => "000000";
    }

    [Fact]
    public async Task Asking_for_mfa_of_a_password_session_without_a_second_factor_is_unmet_authentication_requirements()
    {
        var (_, handle) = SignedIn();
        Consented("openid", "profile", "api.read");

        var outcome = await Authorize(Request().With("acr_values", Mfa), handle);

        AssertErrorRedirect(outcome, "unmet_authentication_requirements");
        Assert.Empty(_codes.Codes);
    }

    [Fact]
    public async Task Asking_for_mfa_of_a_password_session_with_a_second_factor_asks_for_it_only()
    {
        var (session, handle) = SignedIn();
        Consented("openid", "profile", "api.read");
        EnrolSecondFactor();

        var outcome = await Authorize(Request().With("acr_values", Mfa), handle);

        var second = Assert.IsType<InteractionOutcome.ShowSecondFactor>(outcome);
        var pending = Assert.Single(_pending.Pending);
        Assert.Equal(session.Id, pending.SessionId);
        Assert.Equal(OpaqueToken.HashOf(second.PendingHandle), pending.HandleHash);
        Assert.Empty(_codes.Codes);
    }

    [Fact]
    public async Task Asking_for_mfa_with_prompt_none_is_interaction_required()
    {
        var (_, handle) = SignedIn();
        Consented("openid", "profile", "api.read");
        EnrolSecondFactor();

        AssertErrorRedirect(await Authorize(Request().With("acr_values", Mfa).With("prompt", "none"), handle), "interaction_required");
    }

    [Fact]
    public async Task Accepting_either_level_is_met_by_the_password()
    {
        var (_, handle) = SignedIn();
        Consented("openid", "profile", "api.read");

        CodeOf(await Authorize(Request().With("acr_values", Mfa + " urn:authservice:acr:pwd"), handle));
    }

    // ---- the client's policy and the claims parameter (docs/adr/0032) ----

    [Fact]
    public async Task A_require_mfa_client_holds_a_password_session_of_a_person_without_a_second_factor_to_unmet_authentication_requirements()
    {
        _catalog.Add(RegisterWeb("mfa-only", WebSettings(requireConsent: false) with { RequireMfa = true }));
        var (_, handle) = SignedIn();

        AssertErrorRedirect(await Authorize(Request().With("client_id", "mfa-only"), handle), "unmet_authentication_requirements");
        Assert.Empty(_codes.Codes);
    }

    [Fact]
    public async Task A_require_mfa_client_asks_a_person_with_a_second_factor_for_it_even_when_acr_values_accept_the_password()
    {
        _catalog.Add(RegisterWeb("mfa-only", WebSettings(requireConsent: false) with { RequireMfa = true }));
        var (_, handle) = SignedIn();
        EnrolSecondFactor();

        Assert.IsType<InteractionOutcome.ShowSecondFactor>(await Authorize(Request().With("client_id", "mfa-only").With("acr_values", "urn:authservice:acr:pwd"), handle));
    }

    [Fact]
    public async Task An_essential_acr_naming_nothing_defined_here_is_unmet_authentication_requirements_before_any_sign_in()
    {
        var outcome = await Authorize(Request().With("claims", """{"id_token":{"acr":{"essential":true,"values":["urn:example:gold"]}}}"""), handle: null);

        AssertErrorRedirect(outcome, "unmet_authentication_requirements");
        AssertNothingWritten();
    }

    [Fact] // OIDC Core §5.5.1.1: the ID token must then carry acr, which a session that recorded no methods cannot give.
    public async Task An_essential_acr_of_a_session_that_recorded_no_methods_shows_the_sign_in_page()
    {
        // A session from before methods were recorded, as the migration left it: no amr, so no acr.
        var handle = OpaqueToken.New();
        _sessions.Add(UserSession.Start(Guid.NewGuid(), OpaqueToken.HashOf(handle), _user.Id, _user.SecurityStamp, Lifetimes, _clock.GetUtcNow(),
            authenticationMethods: []));
        Consented("openid", "profile", "api.read");
        CodeOf(await Authorize(Request(), handle)); // usable as it is for a request that does not make acr Essential
        var (codes, attempts) = (_codes.Codes.Count, _unitOfWork.Attempts);

        var outcome = await Authorize(Request().With("claims", """{"id_token":{"acr":{"essential":true}}}"""), handle);

        Assert.IsType<InteractionOutcome.ShowLogin>(outcome);
        Assert.Equal((codes, attempts), (_codes.Codes.Count, _unitOfWork.Attempts));
    }

    [Fact]
    public async Task A_malformed_claims_parameter_is_invalid_request()
    {
        AssertErrorRedirect(await Authorize(Request().With("claims", """{"id_token":{"acr":{"essential":"yes"}}}"""), handle: null), "invalid_request");
        AssertNothingWritten();
    }

    // ---- invalid requests ----

    [Fact]
    public async Task Unknown_client_is_an_error_page()
    {
        var outcome = await Authorize(Request().With("client_id", "nobody"), handle: null);

        var page = Assert.IsType<InteractionOutcome.ErrorPage>(outcome);
        Assert.Equal("invalid_request", page.Error.Code);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Error_after_the_redirect_uri_is_redirected_with_state_and_iss_last()
    {
        var (_, handle) = SignedIn();

        var outcome = await Authorize(Request().With("code_challenge", null), handle);

        AssertErrorRedirect(outcome, "invalid_request");
        AssertNothingWritten();
    }

    // ---- no session ----

    [Fact]
    public async Task Without_a_session_the_sign_in_page_is_shown_with_the_login_hint()
    {
        var outcome = await Authorize(Request().With("login_hint", "alice@example.com"), handle: null);

        var login = Assert.IsType<InteractionOutcome.ShowLogin>(outcome);
        Assert.Equal("alice@example.com", login.Username);
        Assert.False(login.Failed);
        Assert.Null(login.RetryAfter);
        Assert.Equal(ClientId, login.Request.Client.ClientId);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Without_a_session_and_login_hint_the_sign_in_page_has_no_username()
    {
        var outcome = await Authorize(Request(), handle: null);

        var login = Assert.IsType<InteractionOutcome.ShowLogin>(outcome);
        Assert.Null(login.Username);
    }

    [Theory]
    [InlineData("not-a-handle")]
    [InlineData("")]
    public async Task Malformed_handle_is_no_session(string handle)
    {
        SignedIn();

        var outcome = await Authorize(Request(), handle);

        Assert.IsType<InteractionOutcome.ShowLogin>(outcome);
    }

    [Fact]
    public async Task Unknown_handle_is_no_session()
    {
        SignedIn();

        var outcome = await Authorize(Request(), OpaqueToken.New());

        Assert.IsType<InteractionOutcome.ShowLogin>(outcome);
    }

    [Fact]
    public async Task Prompt_none_without_a_session_is_login_required_with_state_and_iss_last()
    {
        var outcome = await Authorize(Request().With("prompt", "none"), handle: null);

        AssertErrorRedirect(outcome, "login_required");
        AssertNothingWritten();
    }

    [Fact]
    public async Task Prompt_none_without_a_session_and_without_state_has_no_state()
    {
        var outcome = await Authorize(Request().With("prompt", "none").With("state", null), handle: null);

        AssertErrorRedirect(outcome, "login_required", state: null);
    }

    [Fact]
    public async Task Ended_session_is_no_session()
    {
        var (session, handle) = SignedIn();
        session.End(_clock.GetUtcNow());

        var outcome = await Authorize(Request(), handle);

        Assert.IsType<InteractionOutcome.ShowLogin>(outcome);
    }

    [Fact]
    public async Task Session_of_a_locked_out_user_is_no_session()
    {
        var (_, handle) = SignedIn();
        Consented("openid", "profile", "api.read");
        for (var i = 0; i < LockoutPolicy.Default.MaxFailedAttempts; i++)
        {
            _user.RecordFailedLogin(_clock.GetUtcNow(), LockoutPolicy.Default);
        }

        var outcome = await Authorize(Request().With("prompt", "none"), handle);

        AssertErrorRedirect(outcome, "login_required");
        AssertNothingWritten();
    }

    [Fact]
    public async Task Session_older_than_the_idle_timeout_is_no_session()
    {
        var (_, handle) = SignedIn(after: Lifetimes.Idle);
        Consented("openid", "profile", "api.read");

        var outcome = await Authorize(Request(), handle);

        Assert.IsType<InteractionOutcome.ShowLogin>(outcome);
    }

    // ---- a session that must sign in again ----

    [Theory]
    [InlineData("login")]
    [InlineData("select_account")]
    [InlineData("login consent")]
    public async Task Prompt_login_or_select_account_shows_the_sign_in_page_even_with_a_session(string prompt)
    {
        var (_, handle) = SignedIn();
        Consented("openid", "profile", "api.read");

        var outcome = await Authorize(Request().With("prompt", prompt), handle);

        var login = Assert.IsType<InteractionOutcome.ShowLogin>(outcome);
        Assert.False(login.Failed);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Max_age_zero_shows_the_sign_in_page_even_with_a_fresh_session()
    {
        var (_, handle) = SignedIn(after: TimeSpan.Zero);
        Consented("openid", "profile", "api.read");

        var outcome = await Authorize(Request().With("max_age", "0"), handle);

        Assert.IsType<InteractionOutcome.ShowLogin>(outcome);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Max_age_exceeded_shows_the_sign_in_page()
    {
        var (_, handle) = SignedIn(after: TimeSpan.FromSeconds(61));
        Consented("openid", "profile", "api.read");

        var outcome = await Authorize(Request().With("max_age", "60"), handle);

        Assert.IsType<InteractionOutcome.ShowLogin>(outcome);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Max_age_reached_exactly_is_not_exceeded()
    {
        var (_, handle) = SignedIn(after: TimeSpan.FromSeconds(60));
        Consented("openid", "profile", "api.read");

        var outcome = await Authorize(Request().With("max_age", "60"), handle);

        CodeOf(outcome);
    }

    [Fact]
    public async Task Max_age_not_exceeded_issues_a_code()
    {
        var (_, handle) = SignedIn(after: TimeSpan.FromSeconds(30));
        Consented("openid", "profile", "api.read");

        var outcome = await Authorize(Request().With("max_age", "60"), handle);

        CodeOf(outcome);
        Assert.Single(_codes.Codes);
    }

    [Fact]
    public async Task Prompt_none_with_max_age_exceeded_is_login_required()
    {
        var (_, handle) = SignedIn(after: TimeSpan.FromSeconds(61));
        Consented("openid", "profile", "api.read");

        var outcome = await Authorize(Request().With("prompt", "none").With("max_age", "60"), handle);

        AssertErrorRedirect(outcome, "login_required");
    }

    // ---- consent ----

    [Fact]
    public async Task Without_consent_the_consent_page_is_shown_with_the_users_name()
    {
        var (_, handle) = SignedIn();

        var outcome = await Authorize(Request(), handle);

        var consent = Assert.IsType<InteractionOutcome.ShowConsent>(outcome);
        Assert.Equal("Alice Liddell", consent.UserDisplayName);
        Assert.Equal(["openid", "profile", "api.read"], consent.Request.Scopes);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Consent_page_names_the_user_by_username_when_there_is_no_name()
    {
        var bob = RegisterUser("bob", email: null, name: null);
        _users.Add(bob);
        var (session, handle) = StartSession(bob, _clock.GetUtcNow());
        _sessions.Add(session);

        var outcome = await Authorize(Request(), handle);

        Assert.Equal("bob", Assert.IsType<InteractionOutcome.ShowConsent>(outcome).UserDisplayName);
    }

    [Fact]
    public async Task Consent_not_covering_every_scope_shows_the_consent_page()
    {
        var (_, handle) = SignedIn();
        Consented("openid", "profile");

        var outcome = await Authorize(Request(), handle);

        Assert.IsType<InteractionOutcome.ShowConsent>(outcome);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Consent_of_another_user_does_not_count()
    {
        var (_, handle) = SignedIn();
        _consents.Add(Consent.Grant(Guid.NewGuid(), ClientId, ["openid", "profile", "api.read"], _clock.GetUtcNow()));

        var outcome = await Authorize(Request(), handle);

        Assert.IsType<InteractionOutcome.ShowConsent>(outcome);
    }

    [Fact]
    public async Task Prompt_none_without_consent_is_consent_required()
    {
        var (_, handle) = SignedIn();

        var outcome = await Authorize(Request().With("prompt", "none"), handle);

        AssertErrorRedirect(outcome, "consent_required");
        AssertNothingWritten();
    }

    [Fact]
    public async Task Prompt_consent_shows_the_consent_page_even_with_a_remembered_consent()
    {
        var (_, handle) = SignedIn();
        Consented("openid", "profile", "api.read");

        var outcome = await Authorize(Request().With("prompt", "consent"), handle);

        Assert.IsType<InteractionOutcome.ShowConsent>(outcome);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Prompt_consent_shows_the_consent_page_even_for_a_client_without_consent()
    {
        var (_, handle) = SignedIn();

        var outcome = await Authorize(Request().With("client_id", "first-party").With("prompt", "consent"), handle);

        Assert.IsType<InteractionOutcome.ShowConsent>(outcome);
    }

    [Fact]
    public async Task Client_not_requiring_consent_gets_a_code_without_one()
    {
        var (_, handle) = SignedIn();

        var outcome = await Authorize(Request().With("client_id", "first-party"), handle);

        CodeOf(outcome);
        Assert.Equal("first-party", Assert.Single(_codes.Codes).ClientId);
        Assert.Empty(_consents.Consents);
    }

    [Fact]
    public async Task Prompt_none_with_session_and_consent_issues_a_code()
    {
        var (_, handle) = SignedIn();
        Consented("openid", "profile", "api.read");

        var outcome = await Authorize(Request().With("prompt", "none"), handle);

        CodeOf(outcome);
    }

    [Fact]
    public async Task Remembered_consent_covering_more_scopes_issues_a_code()
    {
        var (_, handle) = SignedIn();
        Consented("openid", "profile", "api.read", "email");

        var outcome = await Authorize(Request("openid api.read"), handle);

        CodeOf(outcome);
    }

    // ---- the code ----

    [Fact]
    public async Task Code_is_stored_as_its_hash_bound_to_the_request_and_the_session()
    {
        var (session, handle) = SignedIn(after: TimeSpan.FromSeconds(20));
        Consented("openid", "profile", "api.read");
        var now = _clock.GetUtcNow();

        var outcome = await Authorize(Request(), handle);

        var redirect = Assert.IsType<InteractionOutcome.Redirect>(outcome);
        Assert.Equal(new RedirectTarget(RedirectUri, "query", State), redirect.Target);
        Assert.Equal(["code", "state", "iss"], redirect.ResponseParameters.Select(p => p.Key));
        Assert.Equal(State, redirect.ResponseParameters[1].Value);
        Assert.Equal(Issuer, redirect.ResponseParameters[2].Value);
        var code = redirect.ResponseParameters[0].Value;
        Assert.Equal(OpaqueToken.HashLength, code.Length);

        var stored = Assert.Single(_codes.Codes);
        Assert.Equal(OpaqueToken.HashOf(code), stored.CodeHash);
        Assert.NotEqual(code, stored.CodeHash);
        Assert.Equal(ClientId, stored.ClientId);
        Assert.Equal(_user.Id, stored.UserId);
        Assert.Equal(session.Id, stored.SessionId);
        Assert.Equal(RedirectUri, stored.RedirectUri);
        Assert.True(stored.RedirectUriWasSent);
        Assert.Equal(["openid", "profile", "api.read"], stored.Scopes);
        Assert.Equal(Challenge, stored.CodeChallenge);
        Assert.Equal(Nonce, stored.Nonce);
        Assert.Equal(session.AuthenticatedAt, stored.AuthTime);
        Assert.Equal(now, stored.IssuedAt);
        Assert.Equal(now + new SignInOptions().AuthorizationCodeLifetime, stored.ExpiresAt);
        Assert.Null(stored.RedeemedAt);
        Assert.True(_unitOfWork.Saves >= 1);
    }

    [Fact]
    public async Task Every_authorization_issues_a_different_code()
    {
        var (_, handle) = SignedIn();
        Consented("openid", "profile", "api.read");

        var first = CodeOf(await Authorize(Request(), handle));
        var second = CodeOf(await Authorize(Request(), handle));

        Assert.NotEqual(first, second);
        Assert.Equal(2, _codes.Codes.Select(c => c.CodeHash).Distinct().Count());
    }

    [Fact]
    public async Task Code_records_that_the_redirect_uri_was_not_sent()
    {
        var (_, handle) = SignedIn();
        Consented("openid", "profile", "api.read");

        CodeOf(await Authorize(Request().With("redirect_uri", null).With("nonce", null), handle));

        var stored = Assert.Single(_codes.Codes);
        Assert.Equal(RedirectUri, stored.RedirectUri);
        Assert.False(stored.RedirectUriWasSent);
        Assert.Null(stored.Nonce);
    }

    [Fact]
    public async Task Form_post_response_mode_is_kept_for_the_code()
    {
        var (_, handle) = SignedIn();
        Consented("openid", "profile", "api.read");

        var outcome = await Authorize(Request().With("response_mode", "form_post"), handle);

        Assert.Equal("form_post", Assert.IsType<InteractionOutcome.Redirect>(outcome).Target.ResponseMode);
    }

    [Fact]
    public async Task Code_is_saved_before_the_session_touch()
    {
        var (session, handle) = SignedIn(after: TimeSpan.FromMinutes(5));
        Consented("openid", "profile", "api.read");
        var codesAtSave = new List<int>();
        _unitOfWork.OnSave = () => codesAtSave.Add(_codes.Codes.Count);

        CodeOf(await Authorize(Request(), handle));

        Assert.Equal([1, 1], codesAtSave);
        Assert.Equal(_clock.GetUtcNow(), session.LastSeenAt);
        Assert.Equal(_clock.GetUtcNow() + Lifetimes.Idle, session.IdleExpiresAt);
    }

    [Fact]
    public async Task A_recently_touched_session_is_not_written_again()
    {
        var (session, handle) = SignedIn(after: TimeSpan.FromSeconds(30));
        Consented("openid", "profile", "api.read");

        // The first code records the client in the session (whom logout notifies); a second only saves its code.
        CodeOf(await Authorize(Request(), handle));
        Assert.Equal([ClientId], session.ClientIds);
        var attempts = _unitOfWork.Attempts;

        CodeOf(await Authorize(Request(), handle));

        Assert.Equal(attempts + 1, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Concurrency_conflict_on_the_session_touch_does_not_lose_the_code()
    {
        var (_, handle) = SignedIn(after: TimeSpan.FromMinutes(5));
        Consented("openid", "profile", "api.read");
        var saves = 0;
        _unitOfWork.RaceOnSave = () =>
        {
            if (++saves == 2)
            {
                return SaveResult.ConcurrencyConflict;
            }

            return SaveResult.Saved;
        };

        var outcome = await Authorize(Request(), handle);

        var code = CodeOf(outcome);
        Assert.Equal(OpaqueToken.HashOf(code), Assert.Single(_codes.Codes).CodeHash);
        Assert.Equal(2, _unitOfWork.Attempts);
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task Concurrency_conflict_on_the_code_save_is_not_swallowed()
    {
        var (_, handle) = SignedIn(after: TimeSpan.FromMinutes(5));
        Consented("openid", "profile", "api.read");
        _unitOfWork.ConflictWith = SaveResult.ConcurrencyConflict;

        await Assert.ThrowsAsync<ConflictException>(() => Authorize(Request(), handle));

        Assert.Equal(1, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Code_lifetime_comes_from_the_options()
    {
        var handler = new AuthorizeHandler(
            AuthorizationRequestFakes.Resolver(_catalog, _clock),
            new BrowserSessions(_sessions, _users, _clock),
            _consents,
            _codes,
            _sessions,
            new SecondFactorStep(_enrolments, _passkeys, _pending, _users),
            new TenantSelector(_tenants, _memberships),
            _unitOfWork,
            new FakeIssuerProvider(),
            Options.Create(new SignInOptions { AuthorizationCodeLifetime = TimeSpan.FromSeconds(30) }),
            _clock);
        var (_, handle) = SignedIn();
        Consented("openid", "profile", "api.read");

        CodeOf(await handler.Handle(new Authorize(Request(), handle), CancellationToken.None));

        Assert.Equal(_clock.GetUtcNow().AddSeconds(30), Assert.Single(_codes.Codes).ExpiresAt);
    }
}

public class AuthorizeTenantTests
{
    private const string TenantClient = "tenant-app";

    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly InMemoryUserRepository _users = new();
    private readonly InMemoryUserSessionRepository _sessions = new();
    private readonly InMemoryAuthorizationCodeRepository _codes = new();
    private readonly InMemorySecondFactorEnrolmentRepository _enrolments = new();
    private readonly InMemoryTenantRepository _tenants = new();
    private readonly InMemoryTenantMembershipRepository _memberships;
    private readonly AuthorizeHandler _handler;
    private readonly User _user = RegisterUser();

    public AuthorizeTenantTests()
    {
        _memberships = new InMemoryTenantMembershipRepository { Tenants = _tenants };
        _catalog.Add(RegisterWeb(TenantClient, WebSettings(requireConsent: false) with { AllowedScopes = ["openid", "tenant", "offline_access"] }));
        _users.Add(_user);
        _handler = new AuthorizeHandler(
            AuthorizationRequestFakes.Resolver(_catalog, _clock),
            new BrowserSessions(_sessions, _users, _clock),
            new InMemoryConsentRepository(),
            _codes,
            _sessions,
            new SecondFactorStep(_enrolments, new InMemoryPasskeyRepository(), new InMemoryPendingSignInRepository(), _users),
            new TenantSelector(_tenants, _memberships),
            new FakeUnitOfWork(),
            new FakeIssuerProvider(),
            Options.Create(new SignInOptions()),
            _clock);
    }

    private Domain.Tenants.Tenant Member(string slug, Domain.Tenants.TenantPolicy? policy = null, Domain.Tenants.TenantStatus status = Domain.Tenants.TenantStatus.Active)
    {
        var tenant = Domain.Tenants.Tenant.Create(Guid.NewGuid(), slug, "Tenant " + slug, status, policy ?? Domain.Tenants.TenantPolicy.Default, _clock.GetUtcNow());
        _tenants.Add(tenant);
        _memberships.Add(Domain.Tenants.TenantMembership.Add(Guid.NewGuid(), tenant, _user.Id, ["member"], Domain.Tenants.TenantActor.Platform,
            Domain.Tenants.TenantMembership.AddedByAdmin, _clock.GetUtcNow()));
        return tenant;
    }

    private string SignedIn()
    {
        var (session, handle) = StartSession(_user, _clock.GetUtcNow());
        _sessions.Add(session);
        _clock.Advance(TimeSpan.FromSeconds(10));
        return handle;
    }

    private Task<InteractionOutcome> Authorize(string? tenant = null, string scope = "openid tenant", string? prompt = null) =>
        _handler.Handle(new Authorize(Request(scope).With("client_id", TenantClient).With("tenant", tenant).With("prompt", prompt), SignedIn()), CancellationToken.None);

    private static string ErrorOf(InteractionOutcome outcome) =>
        Assert.IsType<InteractionOutcome.Redirect>(outcome).ResponseParameters.Single(p => p.Key == "error").Value;

    [Fact]
    public async Task The_only_active_membership_is_stored_with_the_code()
    {
        var tenant = Member("acme");
        Member("paused", status: Domain.Tenants.TenantStatus.Suspended);

        Assert.IsType<InteractionOutcome.Redirect>(await Authorize());

        Assert.Equal(tenant.Id, Assert.Single(_codes.Codes).TenantId);
    }

    [Fact]
    public async Task Several_memberships_show_the_picker_by_slug_and_prompt_none_is_interaction_required()
    {
        Member("zeta");
        Member("alpha");

        var picker = Assert.IsType<InteractionOutcome.ShowTenantPicker>(await Authorize());
        Assert.Equal(["alpha", "zeta"], picker.Tenants.Select(t => t.Slug));
        Assert.Equal("interaction_required", ErrorOf(await Authorize(prompt: "none")));
        Assert.Empty(_codes.Codes);
    }

    [Fact]
    public async Task The_tenant_parameter_picks_one_of_several_and_a_suspended_or_foreign_one_is_access_denied()
    {
        Member("alpha");
        var zeta = Member("zeta");
        Member("paused", status: Domain.Tenants.TenantStatus.Suspended);
        _tenants.Add(Domain.Tenants.Tenant.Create(Guid.NewGuid(), "foreign", "Foreign", Domain.Tenants.TenantStatus.Active, Domain.Tenants.TenantPolicy.Default, _clock.GetUtcNow()));

        Assert.IsType<InteractionOutcome.Redirect>(await Authorize("zeta"));
        Assert.Equal(zeta.Id, Assert.Single(_codes.Codes).TenantId);
        Assert.Equal("access_denied", ErrorOf(await Authorize("paused")));
        Assert.Equal("access_denied", ErrorOf(await Authorize("foreign")));
        Assert.Equal("access_denied", ErrorOf(await Authorize("unknown")));
        Assert.Single(_codes.Codes);
    }

    [Fact]
    public async Task No_membership_gives_a_code_without_a_tenant()
    {
        Assert.IsType<InteractionOutcome.Redirect>(await Authorize());

        Assert.Null(Assert.Single(_codes.Codes).TenantId);
    }

    [Fact]
    public async Task The_tenant_parameter_without_the_scope_or_not_a_slug_is_invalid_request()
    {
        Member("acme");

        Assert.Equal("invalid_request", ErrorOf(await Authorize("acme", scope: "openid")));
        Assert.Equal("invalid_request", ErrorOf(await Authorize("Not A Slug")));
    }

    [Fact]
    public async Task A_passkey_only_tenant_sends_a_password_session_back_to_sign_in_naming_the_methods()
    {
        Member("keys", Domain.Tenants.TenantPolicy.Create(false, [Domain.Tenants.TenantPolicy.Passkey], []));

        var login = Assert.IsType<InteractionOutcome.ShowLogin>(await Authorize());
        Assert.Equal([Domain.Tenants.TenantPolicy.Passkey], login.TenantNotice!.AllowedMethods);
        Assert.Equal("login_required", ErrorOf(await Authorize(prompt: "none")));
        Assert.Empty(_codes.Codes);
    }

    [Fact]
    public async Task A_require_mfa_tenant_holds_a_person_without_a_second_factor_to_unmet_authentication_requirements()
    {
        Member("strict", Domain.Tenants.TenantPolicy.Create(true, [], []));

        Assert.Equal("unmet_authentication_requirements", ErrorOf(await Authorize()));
        Assert.Empty(_codes.Codes);
    }

    [Fact]
    public async Task A_require_mfa_tenant_asks_a_person_with_a_second_factor_for_it()
    {
        Member("strict", Domain.Tenants.TenantPolicy.Create(true, [], []));
        var enrolment = Domain.SecondFactors.SecondFactorEnrolment.For(_user.Id);
        enrolment.BeginTotp([1, 2, 3], "kek", _clock.GetUtcNow());
        Assert.Equal(Domain.SecondFactors.SecondFactorCheck.Accepted, enrolment.ConfirmTotp("000000", new ZeroCodes(), _clock.GetUtcNow()));
        _enrolments.Add(enrolment);

        Assert.IsType<InteractionOutcome.ShowSecondFactor>(await Authorize());
    }

    private sealed class ZeroCodes : Domain.SecondFactors.ITotpCodes
    {
        public string CodeAt(long timeStep) => "000000";
    }
}

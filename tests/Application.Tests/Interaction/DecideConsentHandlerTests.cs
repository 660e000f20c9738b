using AuthService.Application.Common.Persistence;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Authorization;
using AuthService.Application.Consents.Commands.DecideConsent;
using AuthService.Application.SignIn;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Common;
using AuthService.Domain.Consents;
using AuthService.Domain.Users;
using Microsoft.Extensions.Logging;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.Interaction;

public class DecideConsentHandlerTests
{
    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly InMemoryUserRepository _users = new();
    private readonly InMemoryUserSessionRepository _sessions = new();
    private readonly InMemoryConsentRepository _consents = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly RecordingAuditTrail _audit = new();
    private readonly CapturingLogger<DecideConsentHandler> _logger = new(LogLevel.Information);
    private readonly DecideConsentHandler _handler;
    private readonly User _user;
    private readonly string _handle;

    public DecideConsentHandlerTests()
    {
        _catalog.Add(RegisterWeb());
        _user = RegisterUser();
        _users.Add(_user);
        var (session, handle) = StartSession(_user, _clock.GetUtcNow());
        _sessions.Add(session);
        _handle = handle;
        _clock.Advance(TimeSpan.FromSeconds(30));
        _handler = new DecideConsentHandler(
            AuthorizationRequestFakes.Resolver(_catalog, _clock),
            new BrowserSessions(_sessions, _users, _clock),
            _consents,
            _unitOfWork,
            _audit,
            new FakeIssuerProvider(),
            _clock,
            _logger);
    }

    private Task<InteractionOutcome> Decide(bool allow, IReadOnlyDictionary<string, string>? parameters = null, string? handle = "") =>
        _handler.Handle(new DecideConsent(parameters ?? Request(), allow, handle == "" ? _handle : handle), CancellationToken.None);

    [Fact]
    public async Task Invalid_request_is_an_error_page_and_stores_nothing()
    {
        var outcome = await Decide(allow: true, Request().With("client_id", "nobody"));

        Assert.IsType<InteractionOutcome.ErrorPage>(outcome);
        Assert.Empty(_consents.Consents);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Invalid_parameter_after_the_redirect_uri_is_redirected_and_stores_nothing()
    {
        var outcome = await Decide(allow: true, Request().With("scope", "openid admin"));

        var redirect = Assert.IsType<InteractionOutcome.Redirect>(outcome);
        Assert.Equal("invalid_scope", redirect.ResponseParameters[0].Value);
        Assert.Empty(_consents.Consents);
    }

    [Fact]
    public async Task Deny_redirects_access_denied_with_state_and_iss_and_stores_no_consent()
    {
        var outcome = await Decide(allow: false);

        var redirect = Assert.IsType<InteractionOutcome.Redirect>(outcome);
        Assert.Equal(new RedirectTarget(RedirectUri, "query", State), redirect.Target);
        Assert.Equal(["error", "error_description", "state", "iss"], redirect.ResponseParameters.Select(p => p.Key));
        Assert.Equal("access_denied", redirect.ResponseParameters[0].Value);
        Assert.Equal(State, redirect.ResponseParameters[2].Value);
        Assert.Equal(FakeIssuerProvider.DefaultIssuer, redirect.ResponseParameters[3].Value);
        Assert.Empty(_consents.Consents);
        Assert.Equal(1, _unitOfWork.Saves); // the audit entry only
        Assert.Contains(_logger.Entries, e => e.EventId.Id == 3102);
    }

    [Fact]
    public async Task Deny_keeps_a_consent_given_before()
    {
        var existing = Consent.Grant(_user.Id, ClientId, ["openid"], _clock.GetUtcNow());
        _consents.Add(existing);

        await Decide(allow: false);

        Assert.Equal(["openid"], Assert.Single(_consents.Consents).Scopes);
    }

    [Fact]
    public async Task Allow_stores_the_consent_and_continues()
    {
        var outcome = await Decide(allow: true);

        var next = Assert.IsType<InteractionOutcome.Continue>(outcome);
        Assert.Null(next.NewSessionHandle);
        Assert.Equal(Request().OrderBy(p => p.Key, StringComparer.Ordinal), next.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal));
        var consent = Assert.Single(_consents.Consents);
        Assert.Equal(_user.Id, consent.UserId);
        Assert.Equal(ClientId, consent.ClientId);
        Assert.Equal(["openid", "profile", "api.read"], consent.Scopes);
        Assert.Equal(_clock.GetUtcNow(), consent.GrantedAt);
        Assert.Equal(1, _unitOfWork.Saves);
        Assert.Contains(_logger.Entries, e => e.EventId.Id == 3101);
    }

    [Fact]
    public async Task Allow_removes_prompt_consent_and_keeps_the_other_prompts()
    {
        var only = Assert.IsType<InteractionOutcome.Continue>(await Decide(allow: true, Request().With("prompt", "consent")));
        Assert.False(only.Parameters.ContainsKey("prompt"));

        var withLogin = Assert.IsType<InteractionOutcome.Continue>(await Decide(allow: true, Request().With("prompt", "consent login")));
        Assert.Equal("login", withLogin.Parameters["prompt"]);
    }

    [Fact]
    public async Task Allow_extends_an_existing_consent_with_the_new_scopes()
    {
        var existing = Consent.Grant(_user.Id, ClientId, ["openid", "email"], TestClock.Start);
        _consents.Add(existing);

        Assert.IsType<InteractionOutcome.Continue>(await Decide(allow: true));

        Assert.Same(existing, Assert.Single(_consents.Consents));
        Assert.Equal(["openid", "email", "profile", "api.read"], existing.Scopes);
        Assert.Equal(_clock.GetUtcNow(), existing.UpdatedAt);
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task Deny_is_audited_and_saved()
    {
        await Decide(allow: false);

        var record = Assert.Single(_audit.Records);
        Assert.Equal("consent.denied", record.EventType);
        Assert.Equal(_user.Id.ToString(), record.SubjectId);
        Assert.Equal(ClientId, record.ClientId);
        Assert.Equal(1, _unitOfWork.Saves);
        Assert.Empty(_consents.Consents);
    }

    [Fact]
    public async Task Allow_with_every_scope_already_granted_writes_nothing()
    {
        _consents.Add(Consent.Grant(_user.Id, ClientId, ["openid", "profile", "api.read"], TestClock.Start));

        Assert.IsType<InteractionOutcome.Continue>(await Decide(allow: true));

        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Without_a_session_the_browser_goes_back_to_the_authorization_endpoint(bool allow)
    {
        var parameters = Request().With("prompt", "consent");

        var outcome = await Decide(allow, parameters, handle: null);

        var next = Assert.IsType<InteractionOutcome.Continue>(outcome);
        Assert.Null(next.NewSessionHandle);
        Assert.Equal("consent", next.Parameters["prompt"]);
        Assert.Equal(parameters.OrderBy(p => p.Key, StringComparer.Ordinal), next.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Empty(_consents.Consents);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Ended_session_is_no_session()
    {
        _sessions.Sessions[0].End(_clock.GetUtcNow());

        var outcome = await Decide(allow: true);

        Assert.IsType<InteractionOutcome.Continue>(outcome);
        Assert.Empty(_consents.Consents);
    }

    [Fact]
    public async Task Uniqueness_conflict_on_the_first_consent_is_retried_and_merged()
    {
        // A parallel first consent (another tab) was stored first; the failed insert is discarded.
        var saves = 0;
        Consent? concurrent = null;
        _unitOfWork.RaceOnSave = () =>
        {
            if (++saves == 1)
            {
                _consents.Consents.Clear();
                concurrent = Consent.Grant(_user.Id, ClientId, ["openid", "email"], _clock.GetUtcNow());
                _consents.Consents.Add(concurrent);
                return SaveResult.UniquenessConflict;
            }

            return SaveResult.Saved;
        };

        var outcome = await Decide(allow: true);

        Assert.IsType<InteractionOutcome.Continue>(outcome);
        Assert.Same(concurrent, Assert.Single(_consents.Consents));
        Assert.Equal(["openid", "email", "profile", "api.read"], concurrent!.Scopes);
        Assert.Equal(2, _unitOfWork.Attempts);
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task Concurrency_conflict_on_extending_is_retried_on_fresh_state()
    {
        _consents.Add(Consent.Grant(_user.Id, ClientId, ["openid"], TestClock.Start));
        var saves = 0;
        Consent? fresh = null;
        _unitOfWork.RaceOnSave = () =>
        {
            if (++saves == 1)
            {
                // Extended concurrently with "email"; the failed change is discarded.
                fresh = Consent.Grant(_user.Id, ClientId, ["openid", "email"], TestClock.Start);
                _consents.Consents.Clear();
                _consents.Consents.Add(fresh);
                return SaveResult.ConcurrencyConflict;
            }

            return SaveResult.Saved;
        };

        Assert.IsType<InteractionOutcome.Continue>(await Decide(allow: true));

        Assert.Same(fresh, Assert.Single(_consents.Consents));
        Assert.Equal(["openid", "email", "profile", "api.read"], fresh!.Scopes);
        Assert.Equal(2, _unitOfWork.Attempts);
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task Conflicts_that_persist_are_not_swallowed()
    {
        _unitOfWork.RaceOnSave = () =>
        {
            _consents.Consents.Clear();
            return SaveResult.UniquenessConflict;
        };

        await Assert.ThrowsAsync<ConflictException>(() => Decide(allow: true));

        Assert.Equal(ConflictRetry.MaxAttempts, _unitOfWork.Attempts);
        Assert.Equal(0, _unitOfWork.Saves);
    }
}

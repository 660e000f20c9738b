using AuthService.Application.Common.Interfaces;
using AuthService.Application.SignIn;
using AuthService.Application.SignIn.Commands.EndSession;
using AuthService.Application.Tests.Fakes;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.AccessTokens;
using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;
using Microsoft.Extensions.Logging;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.Interaction;

public class EndSessionHandlerTests
{
    private const string Hint = "eyJ.id.token";
    private const string PostLogout = "https://app.example/bye";

    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly FakeIdTokenIssuer _idTokens = new();
    private readonly InMemoryUserRepository _users = new();
    private readonly InMemoryUserSessionRepository _sessions = new();
    private readonly InMemoryRefreshTokenFamilyRepository _families = new();
    private readonly InMemoryRevokedAccessTokenRepository _revocations = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly CapturingLogger<EndSessionHandler> _logger = new(LogLevel.Information);
    private readonly EndSessionHandler _handler;
    private readonly InMemoryAuthorizationCodeRepository _codes = new();
    private readonly User _user;
    private readonly UserSession _session;
    private readonly string _handle;

    public EndSessionHandlerTests()
    {
        _catalog.Add(RegisterWeb()).Add(RegisterWeb("other", WebSettings(postLogoutRedirectUris: ["https://other.example/bye"])));
        _user = RegisterUser();
        _users.Add(_user);
        (_session, _handle) = StartSession(_user, _clock.GetUtcNow());
        _sessions.Add(_session);
        _clock.Advance(TimeSpan.FromMinutes(2));
        _handler = new EndSessionHandler(
            _idTokens,
            _catalog,
            new BrowserSessions(_sessions, _users, _clock),
            _sessions,
            _codes,
            _families,
            new GrantRevocation(_families, _revocations, _unitOfWork, _clock),
            InMemoryLogoutNotificationRepository.Propagation(new InMemoryClientRepository(), _sessions),
            _unitOfWork,
            _clock,
            _logger);
    }

    private void HintFor(string? subject = null, string clientId = ClientId, string? sessionId = "") =>
        _idTokens.Hints[Hint] = new IdTokenHint(subject ?? _user.Id.ToString(), clientId, sessionId == "" ? _session.Id.ToString() : sessionId);

    private RefreshTokenFamily FamilyIn(Guid sessionId)
    {
        var (family, token) = RefreshTokenFamily.Start(Guid.NewGuid(), OpaqueToken.HashOf(OpaqueToken.New()),
            new RefreshTokenGrant(ClientId, _user.Id, sessionId, ["openid", "offline_access"], _session.AuthenticatedAt),
            new RefreshTokenLifetimes(TimeSpan.FromDays(30), TimeSpan.FromDays(7)), _clock.GetUtcNow());
        family.RecordAccessToken(_clock.GetUtcNow().AddMinutes(10));
        _families.Add(family, token);
        return family;
    }

    private Task<EndSessionOutcome> End(Dictionary<string, string> parameters, string? handle = "", bool confirmed = false) =>
        _handler.Handle(new EndSession(parameters, handle == "" ? _handle : handle, confirmed), CancellationToken.None);

    private static Dictionary<string, string> Parameters(params (string Name, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    private static void AssertSignedOut(EndSessionOutcome outcome, string? redirectUri, string? state)
    {
        var signedOut = Assert.IsType<EndSessionOutcome.SignedOut>(outcome);
        Assert.Equal((redirectUri, state), (signedOut.RedirectUri, signedOut.State));
        Assert.Empty(signedOut.FrontchannelLogoutUrls);
    }

    private void AssertNotEnded()
    {
        Assert.Null(_session.EndedAt);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    // ---- refused requests ----

    [Fact]
    public async Task Hint_that_is_not_our_id_token_is_an_error_page()
    {
        var outcome = await End(Parameters(("id_token_hint", "forged")));

        var page = Assert.IsType<EndSessionOutcome.ErrorPage>(outcome);
        Assert.Equal("invalid_request", page.Error.Code);
        Assert.Equal(["forged"], _idTokens.HintsRead);
        AssertNotEnded();
    }

    [Fact]
    public async Task Client_id_not_matching_the_hint_is_an_error_page()
    {
        HintFor();

        var outcome = await End(Parameters(("id_token_hint", Hint), ("client_id", "other")));

        Assert.IsType<EndSessionOutcome.ErrorPage>(outcome);
        AssertNotEnded();
    }

    [Theory]
    [InlineData("https://evil.example/bye")]
    [InlineData("https://app.example/bye/")]
    [InlineData("https://app.example/cb")]
    [InlineData("https://other.example/bye")]
    public async Task Post_logout_redirect_uri_not_registered_for_the_client_is_an_error_page(string uri)
    {
        HintFor();

        var outcome = await End(Parameters(("id_token_hint", Hint), ("post_logout_redirect_uri", uri)));

        Assert.IsType<EndSessionOutcome.ErrorPage>(outcome);
        AssertNotEnded();
    }

    [Fact]
    public async Task Post_logout_redirect_uri_without_a_client_is_an_error_page()
    {
        var outcome = await End(Parameters(("post_logout_redirect_uri", PostLogout)), confirmed: true);

        Assert.IsType<EndSessionOutcome.ErrorPage>(outcome);
        AssertNotEnded();
    }

    [Fact]
    public async Task Post_logout_redirect_uri_of_an_unknown_client_is_an_error_page()
    {
        var outcome = await End(Parameters(("client_id", "nobody"), ("post_logout_redirect_uri", PostLogout)), confirmed: true);

        Assert.IsType<EndSessionOutcome.ErrorPage>(outcome);
        AssertNotEnded();
    }

    // ---- no session ----

    [Fact]
    public async Task Without_a_session_it_is_signed_out_with_nothing_to_end()
    {
        var outcome = await End(Parameters(("client_id", ClientId), ("post_logout_redirect_uri", PostLogout), ("state", "s1")), handle: null);

        AssertSignedOut(outcome, PostLogout, "s1");
        AssertNotEnded();
    }

    [Fact]
    public async Task Ended_session_is_no_session()
    {
        _session.End(_clock.GetUtcNow());

        var outcome = await End(Parameters());

        AssertSignedOut(outcome, null, null);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    // ---- confirmation ----

    [Fact]
    public async Task Without_a_hint_the_user_is_asked_to_confirm()
    {
        var parameters = Parameters(("client_id", ClientId), ("post_logout_redirect_uri", PostLogout), ("state", "s1"));

        var outcome = await End(parameters);

        var confirm = Assert.IsType<EndSessionOutcome.Confirm>(outcome);
        Assert.Same(parameters, confirm.Parameters);
        AssertNotEnded();
    }

    [Fact]
    public async Task Hint_for_another_user_asks_to_confirm()
    {
        HintFor(subject: Guid.NewGuid().ToString());

        var outcome = await End(Parameters(("id_token_hint", Hint)));

        Assert.IsType<EndSessionOutcome.Confirm>(outcome);
        AssertNotEnded();
    }

    [Fact]
    public async Task Hint_for_another_session_of_the_user_asks_to_confirm()
    {
        HintFor(sessionId: Guid.NewGuid().ToString());

        var outcome = await End(Parameters(("id_token_hint", Hint)));

        Assert.IsType<EndSessionOutcome.Confirm>(outcome);
        AssertNotEnded();
    }

    [Fact]
    public async Task Confirmed_without_a_hint_ends_the_session()
    {
        var outcome = await End(Parameters(), confirmed: true);

        AssertSignedOut(outcome, null, null);
        Assert.Equal(_clock.GetUtcNow(), _session.EndedAt);
    }

    // ---- signing out ----

    [Fact]
    public async Task Matching_hint_ends_the_session_at_once_and_redirects_with_the_state()
    {
        HintFor();

        var outcome = await End(Parameters(("id_token_hint", Hint), ("post_logout_redirect_uri", PostLogout), ("state", "s1")));

        AssertSignedOut(outcome, PostLogout, "s1");
        Assert.Equal(_clock.GetUtcNow(), _session.EndedAt);
        Assert.Equal(1, _unitOfWork.Saves);
        var entry = Assert.Single(_logger.Entries, e => e.EventId.Id == 3301);
        Assert.Contains(_session.Id.ToString(), entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Matching_hint_without_a_session_id_ends_the_session()
    {
        HintFor(sessionId: null);

        var outcome = await End(Parameters(("id_token_hint", Hint)));

        Assert.IsType<EndSessionOutcome.SignedOut>(outcome);
        Assert.NotNull(_session.EndedAt);
    }

    [Fact]
    public async Task Client_id_matching_the_hint_is_accepted()
    {
        HintFor();

        var outcome = await End(Parameters(("id_token_hint", Hint), ("client_id", ClientId), ("post_logout_redirect_uri", PostLogout)));

        AssertSignedOut(outcome, PostLogout, null);
        Assert.NotNull(_session.EndedAt);
    }

    [Fact]
    public async Task State_without_a_redirect_uri_is_not_returned()
    {
        HintFor();

        var outcome = await End(Parameters(("id_token_hint", Hint), ("state", "s1")));

        AssertSignedOut(outcome, null, null);
    }

    [Fact]
    public async Task Signing_out_revokes_the_families_of_the_session_and_denylists_their_access_tokens()
    {
        var inSession = FamilyIn(_session.Id);
        var elsewhere = FamilyIn(Guid.NewGuid());
        HintFor();

        await End(Parameters(("id_token_hint", Hint)));

        Assert.Equal(_clock.GetUtcNow(), inSession.RevokedAt);
        Assert.Equal("user_logout", inSession.RevocationReason);
        Assert.Null(elsewhere.RevokedAt);
        Assert.Equal([RevokedAccessToken.FamilyEntryId(inSession.AccessTokenKey)], _revocations.Added.Select(r => r.JwtId));
    }

    [Fact]
    public async Task Confirmation_revokes_nothing()
    {
        var inSession = FamilyIn(_session.Id);

        Assert.IsType<EndSessionOutcome.Confirm>(await End(Parameters()));

        Assert.Null(inSession.RevokedAt);
        Assert.Empty(_revocations.Added);
    }

    [Fact]
    public async Task Concurrency_conflict_on_ending_is_retried_on_fresh_state()
    {
        HintFor();
        var saves = 0;
        UserSession? fresh = null;
        _unitOfWork.RaceOnSave = () =>
        {
            if (++saves == 1)
            {
                // Touched concurrently: the store holds a session that has not ended; our change is discarded.
                fresh = FreshCopy(_session);
                _sessions.Replace(fresh);
                return SaveResult.ConcurrencyConflict;
            }

            return SaveResult.Saved;
        };

        var outcome = await End(Parameters(("id_token_hint", Hint)));

        Assert.IsType<EndSessionOutcome.SignedOut>(outcome);
        Assert.NotNull(fresh);
        Assert.Equal(_clock.GetUtcNow(), fresh.EndedAt);
        Assert.Equal(2, _unitOfWork.Attempts);
        Assert.Equal(1, _unitOfWork.Saves);
    }
}

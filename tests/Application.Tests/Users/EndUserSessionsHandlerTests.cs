using AuthService.Application.Common.Exceptions;
using AuthService.Application.Tests.Fakes;
using AuthService.Application.Tokens.Common;
using AuthService.Application.Users.Commands.EndUserSessions;
using AuthService.Application.Users.Queries.ListUserSessions;
using AuthService.Domain.AccessTokens;
using AuthService.Domain.AuthorizationCodes;
using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Sessions;
using AuthService.Domain.Sessions.Events;
using AuthService.Domain.Users;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.Users;

public class EndUserSessionsHandlerTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly InMemoryUserRepository _users = new();
    private readonly InMemoryUserSessionRepository _sessions = new();
    private readonly InMemoryRefreshTokenFamilyRepository _families = new();
    private readonly InMemoryRevokedAccessTokenRepository _revocations = new();
    private readonly InMemoryAuthorizationCodeRepository _codes = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly EndUserSessionsHandler _handler;
    private readonly User _user;
    private readonly User _other;

    public EndUserSessionsHandlerTests()
    {
        _user = RegisterUser();
        _other = RegisterUser("bob", "bob@example.com");
        _users.Add(_user);
        _users.Add(_other);
        _handler = new EndUserSessionsHandler(_users, _sessions, _codes, _families,
            new GrantRevocation(_families, _revocations, _unitOfWork, _clock),
            InMemoryLogoutNotificationRepository.Propagation(new InMemoryClientRepository(), _sessions), _unitOfWork, _clock);
    }

    private UserSession Session(User user)
    {
        var (session, _) = StartSession(user, _clock.GetUtcNow());
        session.ClearDomainEvents();
        _sessions.Add(session);
        return session;
    }

    private RefreshTokenFamily FamilyIn(UserSession session)
    {
        var (family, token) = RefreshTokenFamily.Start(Guid.NewGuid(), OpaqueToken.HashOf(OpaqueToken.New()),
            new RefreshTokenGrant(ClientId, session.UserId, session.Id, ["openid", "offline_access"], session.AuthenticatedAt),
            new RefreshTokenLifetimes(TimeSpan.FromDays(30), TimeSpan.FromDays(7)), _clock.GetUtcNow());
        family.RecordAccessToken(_clock.GetUtcNow().AddMinutes(10));
        _families.Add(family, token);
        return family;
    }

    private AuthorizationCode CodeIn(UserSession session)
    {
        var code = AuthorizationCode.Issue(OpaqueToken.HashOf(OpaqueToken.New()), new AuthorizationCodeGrant(
            ClientId, session.UserId, session.Id, RedirectUri, true, ["openid"], Challenge, Nonce, session.AuthenticatedAt),
            _clock.GetUtcNow(), TimeSpan.FromMinutes(1));
        _codes.Add(code);
        return code;
    }

    [Fact]
    public async Task Ending_a_session_ends_it_withdraws_its_codes_and_revokes_its_families_only()
    {
        var session = Session(_user);
        var kept = Session(_user);
        var family = FamilyIn(session);
        var keptFamily = FamilyIn(kept);
        var code = CodeIn(session);
        var keptCode = CodeIn(kept);
        _clock.Advance(TimeSpan.FromSeconds(5));

        await _handler.Handle(new EndUserSession(_user.Id, session.Id), CancellationToken.None);

        Assert.Equal(_clock.GetUtcNow(), session.EndedAt);
        Assert.Null(kept.EndedAt);
        Assert.Equal(session.Id, Assert.IsType<UserSessionEnded>(Assert.Single(session.DomainEvents)).SessionId);
        Assert.Empty(kept.DomainEvents);
        Assert.Equal(_clock.GetUtcNow(), code.ExpiresAt);
        Assert.True(keptCode.ExpiresAt > _clock.GetUtcNow());
        Assert.Equal(EndUserSessionsHandler.RevocationReason, family.RevocationReason);
        Assert.Null(keptFamily.RevokedAt);
        Assert.Equal([RevokedAccessToken.FamilyEntryId(family.AccessTokenKey)], _revocations.Added.Select(r => r.JwtId));
    }

    [Fact]
    public async Task A_session_of_another_user_is_not_found_and_stays()
    {
        var theirs = Session(_other);
        var family = FamilyIn(theirs);

        var missing = await Assert.ThrowsAsync<NotFoundException>(() => _handler.Handle(new EndUserSession(_user.Id, theirs.Id), CancellationToken.None));

        Assert.Equal("session", missing.Resource);
        Assert.Null(theirs.EndedAt);
        Assert.Null(family.RevokedAt);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task An_unknown_user_is_not_found()
    {
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => _handler.Handle(new EndUserSessions(Guid.NewGuid()), CancellationToken.None));

        Assert.Equal("user", missing.Resource);
    }

    [Fact]
    public async Task Ending_all_sessions_ends_the_current_ones_of_that_user_in_one_save()
    {
        var first = Session(_user);
        var second = Session(_user);
        var theirs = Session(_other);
        var firstFamily = FamilyIn(first);
        var secondFamily = FamilyIn(second);

        var count = await _handler.Handle(new EndUserSessions(_user.Id), CancellationToken.None);

        Assert.Equal(2, count);
        Assert.NotNull(first.EndedAt);
        Assert.NotNull(second.EndedAt);
        Assert.Null(theirs.EndedAt);
        Assert.Equal(
            new[] { firstFamily, secondFamily }.Select(f => RevokedAccessToken.FamilyEntryId(f.AccessTokenKey)).Order(StringComparer.Ordinal),
            _revocations.Added.Select(r => r.JwtId).Order(StringComparer.Ordinal));
        Assert.Equal(3, _unitOfWork.Saves); // the sessions, then one per revoked family
    }

    [Fact]
    public async Task A_concurrent_touch_is_retried_until_the_session_has_ended()
    {
        var session = Session(_user);
        var attempts = 0;
        _unitOfWork.RaceOnSave = () =>
        {
            if (++attempts == 1)
            {
                _sessions.Replace(FreshCopy(session));
                return SaveResult.ConcurrencyConflict;
            }

            return SaveResult.Saved;
        };

        await _handler.Handle(new EndUserSession(_user.Id, session.Id), CancellationToken.None);

        Assert.NotNull(Assert.Single(_sessions.Sessions).EndedAt);
    }

    [Fact]
    public async Task The_list_shows_only_current_sessions_bound_to_the_current_stamp()
    {
        var current = Session(_user);
        var ended = Session(_user);
        ended.End(_clock.GetUtcNow());
        var (stale, _) = StartSession(_user, _clock.GetUtcNow());
        _sessions.Add(UserSession.Start(Guid.NewGuid(), stale.HandleHash, _user.Id, "an-older-stamp", Lifetimes, _clock.GetUtcNow()));
        Session(_other);

        var page = await new ListUserSessionsHandler(_users, _sessions, _clock).Handle(new ListUserSessions(_user.Id), CancellationToken.None);

        Assert.Equal([current.Id], page.Items.Select(s => s.Id));
        Assert.Null(page.NextCursor);
        _clock.Advance(Lifetimes.Idle);
        var later = await new ListUserSessionsHandler(_users, _sessions, _clock).Handle(new ListUserSessions(_user.Id), CancellationToken.None);
        Assert.Empty(later.Items);
    }
}

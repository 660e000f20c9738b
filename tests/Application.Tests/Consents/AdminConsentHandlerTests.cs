using AuthService.Domain.AccessTokens;
using AuthService.Domain.AuthorizationCodes;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Consents.Commands.RevokeConsent;
using AuthService.Application.Consents.Queries.ListConsents;
using AuthService.Application.Tests.Fakes;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Consents;
using AuthService.Domain.Consents.Events;
using AuthService.Domain.RefreshTokens;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuthService.Application.Tests.Consents;

/// <summary>The admin API's consent operations: list with paging, revoke with the user's refresh-token families for the client.</summary>
public class AdminConsentHandlerTests
{
    private static readonly RefreshTokenLifetimes FamilyLifetimes = new(TimeSpan.FromDays(30), TimeSpan.FromDays(7));
    private static readonly Guid Alice = Guid.Parse("0a000000-0000-0000-0000-00000000000a");
    private static readonly Guid Bob = Guid.Parse("0b000000-0000-0000-0000-00000000000b");

    private readonly InMemoryConsentRepository _consents = new();
    private readonly InMemoryRefreshTokenFamilyRepository _families = new();
    private readonly InMemoryAuthorizationCodeRepository _codes = new();
    private readonly InMemoryRevokedAccessTokenRepository _revocations = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);

    private Consent Granted(Guid userId, string clientId)
    {
        var consent = Consent.Grant(userId, clientId, ["openid", "offline_access"], _clock.GetUtcNow());
        consent.ClearDomainEvents();
        _consents.Add(consent);
        return consent;
    }

    private RefreshTokenFamily Family(Guid userId, string clientId)
    {
        var (family, first) = RefreshTokenFamily.Start(Guid.NewGuid(), OpaqueToken.HashOf(OpaqueToken.New()),
            new RefreshTokenGrant(clientId, userId, Guid.NewGuid(), ["openid", "offline_access"], _clock.GetUtcNow()), FamilyLifetimes, _clock.GetUtcNow());
        family.RecordAccessToken(_clock.GetUtcNow().AddMinutes(10));
        _families.Add(family, first);
        return family;
    }

    private Task Revoke(Guid userId, string clientId, int? expectedVersion = null) =>
        new RevokeConsentHandler(_consents, _families, _codes, new GrantRevocation(_families, _revocations, _unitOfWork, _clock), _unitOfWork, _clock,
                NullLogger<RevokeConsentHandler>.Instance)
            .Handle(new RevokeConsent(userId.ToString(), clientId, expectedVersion), CancellationToken.None);

    private AuthorizationCode CodeFor(Guid userId, string clientId)
    {
        var code = AuthorizationCode.Issue(OpaqueToken.HashOf(OpaqueToken.New()), new AuthorizationCodeGrant(
            clientId, userId, Guid.NewGuid(), SignInData.RedirectUri, true, ["openid"], SignInData.Challenge, SignInData.Nonce, _clock.GetUtcNow()),
            _clock.GetUtcNow(), TimeSpan.FromMinutes(1));
        _codes.Add(code);
        return code;
    }

    [Fact]
    public async Task Revoke_withdraws_that_users_unredeemed_codes_for_that_client_in_the_same_save()
    {
        Granted(Alice, "web");
        var target = CodeFor(Alice, "web");
        var otherClient = CodeFor(Alice, "other");
        var otherUser = CodeFor(Bob, "web");
        var expiryAtSave = DateTimeOffset.MaxValue;
        _unitOfWork.OnSave = () => expiryAtSave = target.ExpiresAt;

        await Revoke(Alice, "web");

        Assert.Equal(_clock.GetUtcNow(), expiryAtSave);
        Assert.True(otherClient.ExpiresAt > _clock.GetUtcNow());
        Assert.True(otherUser.ExpiresAt > _clock.GetUtcNow());
    }

    [Fact]
    public async Task Revoke_removes_the_consent_raises_ConsentRevoked_and_revokes_only_that_users_families_for_that_client()
    {
        var consent = Granted(Alice, "web");
        Granted(Alice, "other");
        var target = Family(Alice, "web");
        var otherClient = Family(Alice, "other");
        var otherUser = Family(Bob, "web");
        var raised = new List<object>();
        _unitOfWork.OnSave = () => raised.AddRange(consent.DomainEvents);

        await Revoke(Alice, "web");

        Assert.DoesNotContain(consent, _consents.Consents);
        Assert.Single(_consents.Consents);
        var revoked = Assert.IsType<ConsentRevoked>(Assert.Single(raised));
        Assert.Equal((Alice, "web"), (revoked.UserId, revoked.ClientId));
        Assert.Equal(RevokeConsentHandler.Reason, target.RevocationReason);
        Assert.NotNull(target.RevokedAt);
        Assert.Null(otherClient.RevokedAt);
        Assert.Null(otherUser.RevokedAt);
        Assert.Equal([RevokedAccessToken.FamilyEntryId(target.AccessTokenKey)], _revocations.Added.Select(r => r.JwtId));
    }

    [Fact]
    public async Task An_unknown_consent_is_not_found_and_no_family_is_touched()
    {
        var family = Family(Alice, "web");

        await Assert.ThrowsAsync<NotFoundException>(() => Revoke(Alice, "web"));

        Assert.Null(family.RevokedAt);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task A_stale_expected_version_revokes_nothing()
    {
        var consent = Granted(Alice, "web");
        var family = Family(Alice, "web");

        await Assert.ThrowsAsync<PreconditionFailedException>(() => Revoke(Alice, "web", expectedVersion: 5));

        Assert.Contains(consent, _consents.Consents);
        Assert.Null(family.RevokedAt);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task A_failed_save_of_the_deletion_leaves_the_families_revoked_so_a_retry_is_safe()
    {
        Granted(Alice, "web");
        var family = Family(Alice, "web");
        var saves = 0;
        _unitOfWork.OnSave = () =>
        {
            if (++saves == 2)
            {
                throw new InvalidOperationException("store down");
            }
        };

        await Assert.ThrowsAsync<InvalidOperationException>(() => Revoke(Alice, "web"));

        Assert.NotNull(family.RevokedAt);
    }

    [Theory]
    [InlineData("not-a-uuid", null, "user_id")]
    [InlineData("00000000-0000-0000-0000-000000000000", null, "user_id")]
    [InlineData(null, "", "client_id")]
    public void The_list_validator_names_the_bad_field(string? userId, string? clientId, string field) =>
        Assert.Contains(new ListConsentsValidator().Validate(new ListConsents(userId, clientId)).Errors, e => e.PropertyName == field);

    [Fact]
    public void The_list_validator_accepts_no_filter_at_all() =>
        Assert.True(new ListConsentsValidator().Validate(new ListConsents(null, null)).IsValid);

    [Fact]
    public async Task Without_a_filter_every_consent_is_listed_by_user_then_client_and_paged()
    {
        Granted(Bob, "b");
        Granted(Alice, "b");
        Granted(Alice, "a");
        var handler = new ListConsentsHandler(_consents, new PrefixCursors());

        var first = await handler.Handle(new ListConsents(null, null, Limit: 2), CancellationToken.None);
        var second = await handler.Handle(new ListConsents(null, null, first.NextCursor, 2), CancellationToken.None);

        Assert.Equal([(Alice, "a"), (Alice, "b")], first.Items.Select(c => (c.UserId, c.ClientId)));
        Assert.NotNull(first.NextCursor);
        Assert.Equal([(Bob, "b")], second.Items.Select(c => (c.UserId, c.ClientId)));
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public void The_revoke_validator_names_a_malformed_user_id() =>
        Assert.Contains(new RevokeConsentValidator().Validate(new RevokeConsent("x", "web")).Errors, e => e.PropertyName == "user_id");

    [Fact]
    public async Task The_list_pages_by_user_then_client_with_an_opaque_cursor()
    {
        Granted(Bob, "b");
        Granted(Alice, "b");
        Granted(Alice, "a");
        Granted(Alice, "c");
        var handler = new ListConsentsHandler(_consents, new PrefixCursors());

        var first = await handler.Handle(new ListConsents(Alice.ToString(), null, Limit: 2), CancellationToken.None);
        var second = await handler.Handle(new ListConsents(Alice.ToString(), null, first.NextCursor, 2), CancellationToken.None);
        var byClient = await handler.Handle(new ListConsents(null, "b"), CancellationToken.None);

        Assert.Equal(["a", "b"], first.Items.Select(c => c.ClientId));
        Assert.NotNull(first.NextCursor);
        Assert.Equal(["c"], second.Items.Select(c => c.ClientId));
        Assert.Null(second.NextCursor);
        Assert.Equal([Alice, Bob], byClient.Items.Select(c => c.UserId));
    }

    /// <summary>A cursor that is the key behind a marker: enough to test the paging, not the HMAC.</summary>
    private sealed class PrefixCursors : IPageCursors
    {
        public string Protect(string key) => "cursor:" + key;

        public string? Unprotect(string cursor) => cursor.StartsWith("cursor:", StringComparison.Ordinal) ? cursor["cursor:".Length..] : null;
    }
}

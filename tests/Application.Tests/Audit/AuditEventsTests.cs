using AuthService.Application.Audit;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Paging;
using AuthService.Domain.AuthorizationCodes.Events;
using AuthService.Domain.Clients.Events;
using AuthService.Domain.Common;
using AuthService.Domain.Consents.Events;
using AuthService.Domain.DeviceAuthorizations.Events;
using AuthService.Domain.RefreshTokens.Events;
using AuthService.Domain.Sessions.Events;
using AuthService.Domain.SigningKeys.Events;
using AuthService.Domain.Users.Events;

namespace AuthService.Application.Tests.Audit;

public sealed class AuditEventsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid UserId = Guid.Parse("a2dbfc35-4f2e-4c1b-9a57-0c1d2e3f4a5b");
    private static readonly Guid OtherId = Guid.Parse("0b6f6c1e-5b0e-4b7a-9d8e-2f4f1e9c2a10");

    public static TheoryData<IDomainEvent, string, string, string> Audited => new()
    {
        { new UserRegistered(UserId, Now), "user.created", "user", UserId.ToString() },
        { new UserProfileUpdated(UserId, Now), "user.updated", "user", UserId.ToString() },
        { new UserPasswordChanged(UserId, Now), "user.password_changed", "user", UserId.ToString() },
        { new UserLockedOut(UserId, Now.AddMinutes(5), Now), "user.locked_out", "user", UserId.ToString() },
        { new UserUnlocked(UserId, Now), "user.unlocked", "user", UserId.ToString() },
        { new UserDisabled(UserId, Now), "user.disabled", "user", UserId.ToString() },
        { new UserEnabled(UserId, Now), "user.enabled", "user", UserId.ToString() },
        { new UserDeleted(UserId, Now), "user.deleted", "user", UserId.ToString() },
        { new UserSessionStarted(OtherId, UserId, Now), "user.signed_in", "user", UserId.ToString() },
        { new UserSessionEnded(OtherId, UserId, Now), "session.ended", "user", UserId.ToString() },
        { new ClientRegistered("web", Now), "client.created", "client", "web" },
        { new ClientReconfigured("web", Now), "client.updated", "client", "web" },
        { new ClientSecretAdded("web", OtherId, Now), "client.secret_added", "client", "web" },
        { new ClientSecretRotated("web", OtherId, Now.AddDays(7), Now), "client.secret_rotated", "client", "web" },
        { new ClientSecretRevoked("web", OtherId, Now), "client.secret_revoked", "client", "web" },
        { new ClientDisabled("web", Now), "client.disabled", "client", "web" },
        { new ClientEnabled("web", Now), "client.enabled", "client", "web" },
        { new ClientDeleted("web", Now), "client.deleted", "client", "web" },
        { new Domain.Federation.Events.ExternalProviderChanged(OtherId, "google", "created", Now), "external_provider.created", "external_provider", "google" },
        { new Domain.Federation.Events.ExternalProviderChanged(OtherId, "google", "updated", Now), "external_provider.updated", "external_provider", "google" },
        { new Domain.Federation.Events.ExternalProviderDeleted(OtherId, "google", Now), "external_provider.deleted", "external_provider", "google" },
        { new Domain.Federation.Events.ExternalIdentityUnlinked(OtherId, UserId, OtherId, "admin", Now), "user.external_identity_unlinked", "user", UserId.ToString() },
        { new SigningKeyGenerated("k1", "ES256", Now), "signing_key.generated", "signing_key", "k1" },
        { new SigningKeyActivated("k1", "ES256", Now), "signing_key.activated", "signing_key", "k1" },
        { new SigningKeyRetired("k1", Now), "signing_key.retired", "signing_key", "k1" },
        { new SigningKeyRemoved("k1", Now), "signing_key.removed", "signing_key", "k1" },
        { new SigningKeyRevoked("k1", Now), "signing_key.revoked", "signing_key", "k1" },
        { new ConsentGranted(UserId, "web", Now), "consent.granted", "user", UserId.ToString() },
        { new ConsentRevoked(UserId, "web", Now), "consent.revoked", "user", UserId.ToString() },
        { new AuthorizationCodeReplayed("hash", "web", UserId, Now), "authorization_code.replayed", "user", UserId.ToString() },
        { new DeviceAuthorizationRequested("hash", "tv", Now), "device_authorization.requested", "client", "tv" },
        { new DeviceAuthorizationApproved("hash", "tv", UserId, Now), "device_authorization.approved", "user", UserId.ToString() },
        { new DeviceAuthorizationDenied("hash", "tv", UserId, Now), "device_authorization.denied", "user", UserId.ToString() },
        { new DeviceAuthorizationRedeemed("hash", "tv", UserId, Now), "device_authorization.redeemed", "user", UserId.ToString() },
        { new RefreshTokenFamilyRevoked(OtherId, "web", UserId, "reuse", Now), "refresh_token.reuse_detected", "user", UserId.ToString() },
        { new RefreshTokenFamilyRevoked(OtherId, "web", UserId, "user_logout", Now), "refresh_token_family.revoked", "user", UserId.ToString() },
    };

    [Theory]
    [MemberData(nameof(Audited))]
    public void Security_events_become_entries_about_their_subject(IDomainEvent domainEvent, string type, string subjectType, string subjectId)
    {
        var record = AuditEvents.From(domainEvent);

        Assert.NotNull(record);
        Assert.Equal(type, record.EventType);
        Assert.Equal(subjectType, record.SubjectType);
        Assert.Equal(subjectId, record.SubjectId);
    }

    [Fact]
    public void An_unlink_by_the_person_names_them_as_the_actor_and_one_by_an_administrator_leaves_it_to_the_request()
    {
        var self = AuditEvents.From(new Domain.Federation.Events.ExternalIdentityUnlinked(OtherId, UserId, OtherId, "self", Now))!;
        var admin = AuditEvents.From(new Domain.Federation.Events.ExternalIdentityUnlinked(OtherId, UserId, OtherId, "admin", Now))!;

        Assert.Equal(AuditActor.User(UserId), self.Actor);
        Assert.Null(admin.Actor);
        Assert.Equal("admin", admin.Details!["reason"]);
    }

    [Fact]
    public void The_token_endpoints_ordinary_events_write_no_entry()
    {
        Assert.Null(AuditEvents.From(new AuthorizationCodeRedeemed("hash", "web", UserId, Now)));
        Assert.Null(AuditEvents.From(new RefreshTokenFamilyStarted(OtherId, "web", UserId, Now)));
    }

    [Fact]
    public void Replays_name_the_client_as_actor_and_the_family_in_the_details()
    {
        var reuse = AuditEvents.From(new RefreshTokenFamilyRevoked(OtherId, "web", UserId, "reuse", Now))!;

        Assert.Equal(AuditActor.Client("web"), reuse.Actor);
        Assert.Equal("web", reuse.ClientId);
        Assert.Equal(OtherId.ToString(), reuse.Details!["family_id"]);
        Assert.Equal(AuditActor.Client("web"), AuditEvents.From(new AuthorizationCodeReplayed("hash", "web", UserId, Now))!.Actor);
    }

    [Fact]
    public void A_rotation_records_when_the_previous_secrets_expire()
    {
        var record = AuditEvents.From(new ClientSecretRotated("web", OtherId, Now.AddDays(7), Now))!;

        Assert.Equal(OtherId.ToString(), record.Details!["secret_id"]);
        Assert.Equal(Now.AddDays(7).ToString("O"), record.Details["previous_secrets_expire_at"]);
        Assert.Contains("\"secret_id\"", record.DetailsJson!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_sign_in_of_an_unknown_user_has_no_subject_and_an_anonymous_actor()
    {
        var record = AuditEvents.SignInFailed(null, "unknown_user", "web");

        Assert.Null(record.SubjectId);
        Assert.Null(record.SubjectType);
        Assert.Equal("anonymous", record.Actor!.Type);
        Assert.Equal("unknown_user", record.Details!["reason"]);
    }

    [Fact]
    public void An_entry_without_details_has_no_json()
    {
        Assert.Null(new AuditRecord("user.created", "user", "u").DetailsJson);
    }

    // ---- paging ----

    private sealed class PlainCursors : IPageCursors
    {
        public string Protect(string key) => "c:" + key;

        public string? Unprotect(string cursor) => cursor.StartsWith("c:", StringComparison.Ordinal) ? cursor[2..] : null;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(201)]
    public void A_limit_outside_1_to_200_is_refused_naming_limit(int limit)
    {
        var error = Assert.Throws<RequestValidationException>(() => Paging.Read("things", null, limit, new PlainCursors()));

        Assert.Equal(["limit"], error.Errors.Keys);
    }

    [Fact]
    public void A_cursor_this_server_did_not_issue_is_refused_naming_cursor()
    {
        var error = Assert.Throws<RequestValidationException>(() => Paging.Read("things", "forged", null, new PlainCursors()));

        Assert.Equal(["cursor"], error.Errors.Keys);
    }

    [Fact]
    public void A_page_reads_one_row_more_than_it_shows_to_tell_that_more_follow()
    {
        var cursors = new PlainCursors();
        var request = Paging.Read("things", null, 2, cursors);

        var full = request.ToPage(["a", "b", "c"], key => key, value => value.ToUpperInvariant(), cursors);
        var last = request.ToPage(["a", "b"], key => key, value => value.ToUpperInvariant(), cursors);

        Assert.Equal(["A", "B"], full.Items);
        Assert.Equal("c:things\nb", full.NextCursor);
        Assert.Equal("b", Paging.Read("things", full.NextCursor, 2, cursors).After);
        Assert.Null(last.NextCursor);
        Assert.Equal(PageRequest.DefaultLimit, Paging.Read("things", null, null, cursors).Limit);
    }

    [Fact]
    public void A_cursor_of_another_list_is_refused_naming_cursor()
    {
        var cursors = new PlainCursors();
        var consentsCursor = Paging.Read("consents", null, 1, cursors).ToPage(["a", "b"], key => key, value => value, cursors).NextCursor;

        var error = Assert.Throws<RequestValidationException>(() => Paging.Read("audit-events", consentsCursor, 1, cursors));

        Assert.Equal(["cursor"], error.Errors.Keys);
    }
}

using AuthService.Domain.Consents;
using AuthService.Domain.Consents.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Consents;

public class ConsentTests
{
    private const string ClientId = "spa";
    private static readonly DateTimeOffset Later = Now.AddDays(1);

    private static Consent Granted()
    {
        var consent = Consent.Grant(UserId, ClientId, ["openid", "profile"], Now);
        consent.ClearDomainEvents();
        return consent;
    }

    // ---- Grant ----

    [Fact]
    public void Grant_keeps_the_user_the_client_and_the_scopes()
    {
        var consent = Consent.Grant(UserId, ClientId, ["openid", "profile", "api.read"], Now);

        Assert.Equal(UserId, consent.UserId);
        Assert.Equal(ClientId, consent.ClientId);
        Assert.Equal(["openid", "profile", "api.read"], consent.Scopes);
        Assert.Equal(Now, consent.GrantedAt);
        Assert.Equal(Now, consent.UpdatedAt);
    }

    [Fact]
    public void Grant_raises_ConsentGranted()
    {
        var consent = Consent.Grant(UserId, ClientId, ["openid"], Now);

        var granted = Assert.IsType<ConsentGranted>(Assert.Single(consent.DomainEvents));
        Assert.Equal(UserId, granted.UserId);
        Assert.Equal(ClientId, granted.ClientId);
        Assert.Equal(Now, granted.OccurredAt);
    }

    [Fact]
    public void Grant_removes_repeated_scopes_keeping_the_first_order()
    {
        var consent = Consent.Grant(UserId, ClientId, ["openid", "profile", "openid", "profile", "email"], Now);

        Assert.Equal(["openid", "profile", "email"], consent.Scopes);
    }

    [Fact]
    public void Grant_treats_scopes_differing_in_case_as_different() =>
        Assert.Equal(["openid", "OpenID"], Consent.Grant(UserId, ClientId, ["openid", "OpenID"], Now).Scopes);

    [Fact]
    public void Grant_copies_the_scopes()
    {
        var scopes = new List<string> { "openid" };

        var consent = Consent.Grant(UserId, ClientId, scopes, Now);
        scopes.Add("admin");

        Assert.Equal(["openid"], consent.Scopes);
    }

    [Fact]
    public void Grant_without_user_is_refused() =>
        AssertRefused("user", () => Consent.Grant(Guid.Empty, ClientId, ["openid"], Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Grant_without_client_is_refused(string? clientId) =>
        AssertRefused("client_id", () => Consent.Grant(UserId, clientId!, ["openid"], Now));

    [Fact]
    public void Grant_without_scopes_is_refused() =>
        AssertRefused("scope", () => Consent.Grant(UserId, ClientId, [], Now));

    [Fact]
    public void Grant_with_non_utc_now_is_refused() =>
        AssertRefused("now", () => Consent.Grant(UserId, ClientId, ["openid"], Now.ToOffset(TimeSpan.FromHours(1))));

    // ---- Covers ----

    [Fact]
    public void Covers_a_subset() =>
        Assert.True(Granted().Covers(["profile"]));

    [Fact]
    public void Covers_the_same_scopes_in_any_order()
    {
        var consent = Granted();

        Assert.True(consent.Covers(["openid", "profile"]));
        Assert.True(consent.Covers(["profile", "openid"]));
        Assert.True(consent.Covers(["openid", "openid"]));
    }

    [Fact]
    public void Covers_no_superset()
    {
        var consent = Granted();

        Assert.False(consent.Covers(["openid", "profile", "email"]));
        Assert.False(consent.Covers(["email"]));
    }

    [Fact]
    public void Covers_an_empty_request() =>
        Assert.True(Granted().Covers([]));

    [Fact]
    public void Covers_is_case_sensitive() =>
        Assert.False(Granted().Covers(["OPENID"]));

    // ---- Extend ----

    [Fact]
    public void Extend_adds_only_the_new_scopes_and_raises_ConsentGranted()
    {
        var consent = Granted();

        Assert.True(consent.Extend(["profile", "email", "api.read"], Later));

        Assert.Equal(["openid", "profile", "email", "api.read"], consent.Scopes);
        Assert.Equal(Now, consent.GrantedAt);
        Assert.Equal(Later, consent.UpdatedAt);
        var granted = Assert.IsType<ConsentGranted>(Assert.Single(consent.DomainEvents));
        Assert.Equal(UserId, granted.UserId);
        Assert.Equal(ClientId, granted.ClientId);
        Assert.Equal(Later, granted.OccurredAt);
        Assert.True(consent.Covers(["openid", "email", "api.read"]));
    }

    [Fact]
    public void Extend_adds_a_repeated_new_scope_once()
    {
        var consent = Granted();

        Assert.True(consent.Extend(["email", "email"], Later));

        Assert.Equal(["openid", "profile", "email"], consent.Scopes);
    }

    [Fact]
    public void Extend_with_nothing_new_returns_false_and_changes_nothing()
    {
        var consent = Granted();

        Assert.False(consent.Extend(["openid", "profile", "openid"], Later));

        Assert.Equal(["openid", "profile"], consent.Scopes);
        Assert.Equal(Now, consent.UpdatedAt);
        Assert.Empty(consent.DomainEvents);
    }

    [Fact]
    public void Extend_with_no_scopes_returns_false()
    {
        var consent = Granted();

        Assert.False(consent.Extend([], Later));

        Assert.Equal(Now, consent.UpdatedAt);
        Assert.Empty(consent.DomainEvents);
    }

    [Fact]
    public void Extend_never_removes_scopes()
    {
        var consent = Granted();

        consent.Extend(["email"], Later);

        Assert.Contains("openid", consent.Scopes);
        Assert.Contains("profile", consent.Scopes);
    }

    [Fact]
    public void Extend_twice_raises_one_event_per_addition()
    {
        var consent = Granted();

        consent.Extend(["email"], Later);
        consent.Extend(["email"], Later.AddHours(1));
        consent.Extend(["phone"], Later.AddHours(2));

        Assert.Equal(2, consent.DomainEvents.OfType<ConsentGranted>().Count());
        Assert.Equal(Later.AddHours(2), consent.UpdatedAt);
    }

    [Fact]
    public void Extend_with_non_utc_now_is_refused()
    {
        var consent = Granted();

        AssertRefused("now", () => consent.Extend(["email"], Later.ToOffset(TimeSpan.FromHours(2))));

        Assert.Equal(["openid", "profile"], consent.Scopes);
        Assert.Empty(consent.DomainEvents);
    }

    // ---- Revoke ----

    [Fact]
    public void Revoke_raises_ConsentRevoked_for_the_user_and_the_client()
    {
        var consent = Granted();

        consent.Revoke(Later);

        var revoked = Assert.IsType<ConsentRevoked>(Assert.Single(consent.DomainEvents));
        Assert.Equal((UserId, ClientId, Later), (revoked.UserId, revoked.ClientId, revoked.OccurredAt));
    }

    [Fact]
    public void Revoke_with_non_utc_now_is_refused()
    {
        var consent = Granted();

        AssertRefused("now", () => consent.Revoke(Later.ToOffset(TimeSpan.FromHours(2))));
        Assert.Empty(consent.DomainEvents);
    }
}

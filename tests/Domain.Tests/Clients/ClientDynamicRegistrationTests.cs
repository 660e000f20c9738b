using AuthService.Domain.Clients;
using AuthService.Domain.Clients.Events;
using AuthService.Domain.Common;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Clients;

/// <summary>RFC 7591/7592 rules on the Client aggregate: source, consent, registration access token, last use.</summary>
public class ClientDynamicRegistrationTests
{
    private const string Token = "registration-access-token-0123456789";

    private static Client Dynamic(ClientSettings? settings = null) =>
        Client.RegisterDynamically("dyn", settings ?? Public(), secret: null, SecretHash.Compute(Token), Now);

    [Fact]
    public void A_dynamic_client_is_marked_dynamic_requires_consent_and_is_recorded_as_used_at_registration()
    {
        var client = Dynamic();

        Assert.Equal(RegistrationSource.Dynamic, client.RegistrationSource);
        Assert.True(client.RequireConsent);
        Assert.Equal(Now, client.LastUsedAt);
        var registered = Assert.IsType<ClientRegistered>(Assert.Single(client.DomainEvents));
        Assert.Equal(RegistrationSource.Dynamic, registered.Source);
    }

    [Fact]
    public void A_dynamic_client_can_never_skip_consent_neither_at_registration_nor_by_a_later_update()
    {
        var refused = Assert.Throws<DomainRuleViolationException>(() => Dynamic(Public() with { RequireConsent = false }));
        Assert.Equal("require_consent", refused.Field);

        var client = Dynamic();
        var update = Assert.Throws<DomainRuleViolationException>(() => client.UpdateSettings(Public() with { RequireConsent = false }, Now.AddMinutes(1)));
        Assert.Equal("require_consent", update.Field);
        Assert.True(client.RequireConsent);
    }

    [Fact]
    public void Only_the_clients_own_registration_access_token_is_accepted_and_never_when_disabled_or_static()
    {
        var client = Dynamic();
        Assert.True(client.AcceptsRegistrationAccessToken(Token));
        Assert.False(client.AcceptsRegistrationAccessToken(Token + "x"));
        Assert.False(client.AcceptsRegistrationAccessToken(string.Empty));

        client.Disable(Now.AddMinutes(1));
        Assert.False(client.AcceptsRegistrationAccessToken(Token));

        var seeded = Client.Register("static", Public(), secret: null, Now);
        Assert.Null(seeded.RegistrationAccessTokenHash);
        Assert.Equal(RegistrationSource.Static, seeded.RegistrationSource);
        Assert.False(seeded.AcceptsRegistrationAccessToken(Token));
    }

    [Fact]
    public void Replacing_the_registration_rotates_the_token_even_when_the_metadata_is_unchanged()
    {
        var client = Dynamic();
        client.ClearDomainEvents();

        client.ReplaceRegistration(Public(), SecretHash.Compute("next-token"), Now.AddMinutes(1));

        Assert.False(client.AcceptsRegistrationAccessToken(Token));
        Assert.True(client.AcceptsRegistrationAccessToken("next-token"));
        Assert.IsType<ClientReconfigured>(Assert.Single(client.DomainEvents));
    }

    [Fact]
    public void A_replacement_that_breaks_a_rule_changes_nothing_and_the_old_token_still_works()
    {
        var client = Dynamic();

        Assert.Throws<DomainRuleViolationException>(() =>
            client.ReplaceRegistration(Public() with { RedirectUris = ["javascript:alert(1)"] }, SecretHash.Compute("next-token"), Now.AddMinutes(1)));

        Assert.True(client.AcceptsRegistrationAccessToken(Token));
        Assert.Equal(["https://c1.example/cb"], client.RedirectUris);
    }

    [Fact]
    public void A_static_client_cannot_be_managed_through_registration()
    {
        var seeded = Client.Register("static", Public(), secret: null, Now);

        var refused = Assert.Throws<DomainRuleViolationException>(() => seeded.ReplaceRegistration(Public(), SecretHash.Compute("t"), Now));
        Assert.Equal("registration_access_token", refused.Field);
    }

    [Fact]
    public void Use_is_recorded_at_most_once_per_interval_and_never_for_static_clients()
    {
        var client = Dynamic();

        Assert.False(client.RecordUse(Now + Client.UsageRecordingInterval - TimeSpan.FromSeconds(1)));
        Assert.Equal(Now, client.LastUsedAt);
        Assert.True(client.RecordUse(Now + Client.UsageRecordingInterval));
        Assert.Equal(Now + Client.UsageRecordingInterval, client.LastUsedAt);

        var seeded = Client.Register("static", Public(), secret: null, Now);
        Assert.False(seeded.RecordUse(Now.AddDays(30)));
        Assert.Null(seeded.LastUsedAt);
    }

    [Fact]
    public void Inactivity_counts_from_the_last_use_and_static_clients_are_never_inactive()
    {
        var client = Dynamic();
        Assert.False(client.IsInactiveSince(Now));
        Assert.True(client.IsInactiveSince(Now.AddTicks(1)));

        client.RecordUse(Now.AddDays(2));
        Assert.False(client.IsInactiveSince(Now.AddDays(1)));

        Assert.False(Client.Register("static", Public(), secret: null, Now).IsInactiveSince(Now.AddYears(5)));
    }
}

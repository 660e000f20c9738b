using AuthService.Domain.Common;
using AuthService.Domain.Federation;
using AuthService.Domain.Federation.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Federation;

public class ExternalProviderTests
{
    private static ExternalProviderSettings Oidc(string issuer = "https://idp.example.com") => new("Example", "authservice", Issuer: issuer, ProtectedSecret: [1, 2, 3]);

    [Fact]
    public void A_generic_openid_provider_always_asks_for_openid_and_reads_the_standard_claims()
    {
        var provider = ExternalProvider.Create(Guid.NewGuid(), "example", Oidc() with { Scopes = ["email"] }, Now);

        Assert.Equal(ExternalProtocol.OpenIdConnect, provider.Protocol);
        Assert.Equal(["openid", "email"], provider.Scopes);
        Assert.Equal(ClaimMapping.Default, provider.Claims);
        Assert.False(provider.TrustEmailVerified);
        Assert.False(provider.AutoProvision);
        Assert.True(provider.Enabled);
        Assert.Equal("created", Assert.IsType<ExternalProviderChanged>(Assert.Single(provider.DomainEvents)).Change);
    }

    [Fact]
    public void Presets_fill_in_the_details()
    {
        var github = ExternalProvider.Create(Guid.NewGuid(), "github", new("GitHub", "gh-client", Preset: ExternalProviderPresets.GitHub), Now);
        var google = ExternalProvider.Create(Guid.NewGuid(), "google", new("Google", "g-client", Preset: ExternalProviderPresets.Google), Now);
        var apple = ExternalProvider.Create(Guid.NewGuid(), "apple", new("Apple", "com.example.web", Preset: ExternalProviderPresets.Apple,
            AppleTeamId: "TEAM123456", AppleKeyId: "KEY1234567"), Now);

        Assert.Equal(ExternalProtocol.OAuth2, github.Protocol);
        Assert.Equal("https://github.com/login/oauth/access_token", github.TokenEndpoint);
        Assert.Equal("id", github.Claims.Subject);
        Assert.Equal(["read:user", "user:email"], github.Scopes);
        Assert.Equal("https://accounts.google.com", google.Issuer);
        Assert.True(apple.UsesFormPost);
        Assert.Equal("TEAM123456", apple.AppleTeamId);
    }

    [Fact]
    public void The_response_mode_is_the_presets_unless_set_and_only_query_or_form_post()
    {
        var generic = ExternalProvider.Create(Guid.NewGuid(), "example", Oidc(), Now);
        Assert.Equal((ExternalProvider.Query, false), (generic.ResponseMode, generic.UsesFormPost));

        generic.ClearDomainEvents();
        Assert.True(generic.Update(Oidc() with { ResponseMode = ExternalProvider.FormPost }, Now.AddMinutes(1)));
        Assert.Equal((ExternalProvider.FormPost, true), (generic.ResponseMode, generic.UsesFormPost));
        Assert.Equal("updated", Assert.IsType<ExternalProviderChanged>(Assert.Single(generic.DomainEvents)).Change);
        // The value shown is the one in force: repeating it changes nothing.
        Assert.False(generic.Update(Oidc() with { ResponseMode = generic.ResponseMode }, Now.AddMinutes(2)));

        var apple = ExternalProvider.Create(Guid.NewGuid(), "apple", new("Apple", "com.example.web", Preset: ExternalProviderPresets.Apple,
            AppleTeamId: "TEAM123456", AppleKeyId: "KEY1234567"), Now);
        Assert.Equal(ExternalProvider.FormPost, apple.ResponseMode);

        foreach (var mode in new[] { "fragment", "FORM_POST", "", "query.jwt" })
        {
            Assert.Equal("response_mode", Assert.Throws<DomainRuleViolationException>(() =>
                ExternalProvider.Create(Guid.NewGuid(), "x", Oidc() with { ResponseMode = mode }, Now)).Field);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("Google")]
    [InlineData("1password")]
    [InlineData("a/b")]
    [InlineData("averyveryveryveryveryverylongname1")]
    public void A_name_is_a_short_lower_case_path_segment(string name) =>
        Assert.Equal("name", Assert.Throws<DomainRuleViolationException>(() => ExternalProvider.Create(Guid.NewGuid(), name, Oidc(), Now)).Field);

    [Theory]
    [InlineData("http://idp.example.com")]
    [InlineData("https://idp.example.com/#frag")]
    [InlineData("idp.example.com")]
    public void The_issuer_is_https_except_on_loopback(string issuer) =>
        Assert.Equal("issuer", Assert.Throws<DomainRuleViolationException>(() => ExternalProvider.Create(Guid.NewGuid(), "example", Oidc(issuer), Now)).Field);

    [Fact]
    public void A_loopback_http_issuer_is_accepted_for_local_upstreams() =>
        Assert.Equal("http://127.0.0.1:5100", ExternalProvider.Create(Guid.NewGuid(), "local", Oidc("http://127.0.0.1:5100"), Now).Issuer);

    [Fact]
    public void An_oauth2_provider_needs_its_three_endpoints()
    {
        var settings = new ExternalProviderSettings("Forge", "forge", ExternalProtocol.OAuth2, AuthorizationEndpoint: "https://forge.example/authorize",
            TokenEndpoint: "https://forge.example/token");

        Assert.Equal("authorization_endpoint", Assert.Throws<DomainRuleViolationException>(() => ExternalProvider.Create(Guid.NewGuid(), "forge", settings, Now)).Field);
    }

    [Fact]
    public void Apple_needs_the_team_and_key_ids() =>
        Assert.Equal("apple", Assert.Throws<DomainRuleViolationException>(() =>
            ExternalProvider.Create(Guid.NewGuid(), "apple", new("Apple", "com.example.web", Preset: ExternalProviderPresets.Apple), Now)).Field);

    [Fact]
    public void An_unknown_preset_or_protocol_is_refused()
    {
        Assert.Equal("preset", Assert.Throws<DomainRuleViolationException>(() =>
            ExternalProvider.Create(Guid.NewGuid(), "x", Oidc() with { Preset = "facebook" }, Now)).Field);
        Assert.Equal("protocol", Assert.Throws<DomainRuleViolationException>(() =>
            ExternalProvider.Create(Guid.NewGuid(), "x", Oidc() with { Protocol = (ExternalProtocol)7 }, Now)).Field);
    }

    [Fact]
    public void Deleting_raises_the_fact_with_the_name_for_the_audit_log()
    {
        var provider = ExternalProvider.Create(Guid.NewGuid(), "example", Oidc(), Now);
        provider.ClearDomainEvents();

        provider.Delete(Now.AddMinutes(1));

        var deleted = Assert.IsType<ExternalProviderDeleted>(Assert.Single(provider.DomainEvents));
        Assert.Equal((provider.Id, "example", Now.AddMinutes(1)), (deleted.ProviderId, deleted.Name, deleted.OccurredAt));
        Assert.Equal("now", Assert.Throws<DomainRuleViolationException>(() => provider.Delete(Now.ToOffset(TimeSpan.FromHours(1)))).Field);
    }

    [Fact]
    public void An_update_without_a_secret_keeps_the_stored_one_and_an_unchanged_one_raises_nothing()
    {
        var provider = ExternalProvider.Create(Guid.NewGuid(), "example", Oidc(), Now);
        provider.ClearDomainEvents();

        Assert.False(provider.Update(Oidc() with { ProtectedSecret = null }, Now.AddMinutes(1)));
        Assert.Equal([1, 2, 3], provider.ProtectedSecret);
        Assert.Equal(Now, provider.UpdatedAt);
        Assert.Empty(provider.DomainEvents);

        Assert.True(provider.Update(Oidc() with { AutoProvision = true }, Now.AddMinutes(2)));
        Assert.True(provider.AutoProvision);
        Assert.Equal(Now.AddMinutes(2), provider.UpdatedAt);
        Assert.Equal("updated", Assert.IsType<ExternalProviderChanged>(Assert.Single(provider.DomainEvents)).Change);
    }

    [Fact]
    public void Allowed_domains_are_compared_without_case_on_the_part_after_the_last_at()
    {
        var provider = ExternalProvider.Create(Guid.NewGuid(), "corp", Oidc() with { AllowedEmailDomains = ["Example.COM "] }, Now);

        Assert.True(provider.AllowsEmailDomain("ann@EXAMPLE.com"));
        Assert.False(provider.AllowsEmailDomain("ann@example.com.evil.test"));
        Assert.False(provider.AllowsEmailDomain("\"a@example.com\"@evil.test"));
        Assert.False(provider.AllowsEmailDomain(null));
        Assert.True(ExternalProvider.Create(Guid.NewGuid(), "any", Oidc(), Now).AllowsEmailDomain(null));
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/{tenantid}/v2.0", "9188040d-6c67-4c5b-b112-36a304b66dad", "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0")]
    [InlineData("https://login.microsoftonline.com/{tenantid}/v2.0", null, null)]
    [InlineData("https://login.microsoftonline.com/{tenantid}/v2.0", "../evil", null)]
    [InlineData("https://accounts.google.com", "ignored", "https://accounts.google.com")]
    public void Microsofts_multi_tenant_issuer_takes_the_tokens_tenant(string discovered, string? tid, string? expected) =>
        Assert.Equal(expected, ExternalProviderPresets.ExpectedIssuer(discovered, tid));
}

public class ExternalIdentityTests
{
    [Fact]
    public void A_link_keys_on_provider_and_subject_and_is_audited()
    {
        var providerId = Guid.NewGuid();
        var identity = ExternalIdentity.Link(Guid.NewGuid(), UserId, providerId, "248289761001", "ann@example.com", "provisioned", Now);

        Assert.Equal("248289761001", identity.Subject);
        Assert.Equal(Now, identity.LastSignInAt);
        var linked = Assert.IsType<ExternalIdentityLinked>(Assert.Single(identity.DomainEvents));
        Assert.Equal(("provisioned", providerId), (linked.How, linked.ProviderId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\nb")]
    public void A_subject_is_printable_and_not_empty(string subject) =>
        Assert.Equal("subject", Assert.Throws<DomainRuleViolationException>(() =>
            ExternalIdentity.Link(Guid.NewGuid(), UserId, Guid.NewGuid(), subject, null, "linked", Now)).Field);

    [Fact]
    public void A_sign_in_records_the_time_and_the_address_given_and_an_unlink_is_audited()
    {
        var identity = ExternalIdentity.Link(Guid.NewGuid(), UserId, Guid.NewGuid(), "s", "old@example.com", "linked", Now);
        identity.ClearDomainEvents();

        identity.RecordSignIn("new@example.com", Now.AddDays(1));
        identity.Unlink(ExternalIdentity.UnlinkedBySelf, Now.AddDays(2));

        Assert.Equal(("new@example.com", Now.AddDays(1)), (identity.Email, identity.LastSignInAt));
        Assert.Equal("self", Assert.IsType<ExternalIdentityUnlinked>(Assert.Single(identity.DomainEvents)).Reason);
    }
}

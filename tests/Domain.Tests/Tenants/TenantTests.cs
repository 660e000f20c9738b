using AuthService.Domain.Tenants;
using AuthService.Domain.Tenants.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Tenants;

public class TenantTests
{
    private static Tenant Create(string slug = "acme") => Tenant.Create(Guid.NewGuid(), slug, "Acme", TenantStatus.Active, TenantPolicy.Default, Now);

    [Theory]
    [InlineData("ab")]
    [InlineData("acme")]
    [InlineData("acme-eu-2")]
    [InlineData("0x")]
    public void A_slug_of_lower_case_letters_digits_and_inner_hyphens_is_accepted(string slug) =>
        Assert.Equal(slug, Create(slug).Slug);

    [Theory]
    [InlineData("a")]
    [InlineData("")]
    [InlineData("Acme")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("ac me")]
    [InlineData("acme_eu")]
    [InlineData("acmé")]
    public void Other_slugs_are_refused_under_slug(string slug) =>
        AssertRefused("slug", () => Create(slug));

    [Fact]
    public void A_slug_is_at_most_63_characters()
    {
        Assert.Equal(63, Create(new string('a', 63)).Slug.Length);
        AssertRefused("slug", () => Create(new string('a', 64)));
    }

    [Fact]
    public void Creating_raises_the_created_event_with_the_slug()
    {
        var tenant = Create();

        var created = Assert.IsType<TenantCreated>(Assert.Single(tenant.DomainEvents));
        Assert.Equal(("acme", tenant.Id), (created.Slug, created.TenantId));
    }

    [Fact]
    public void An_update_that_changes_nothing_raises_nothing()
    {
        var tenant = Create();
        tenant.ClearDomainEvents();

        Assert.False(tenant.Update("Acme", TenantStatus.Active, TenantPolicy.Create(false, [], []), Now.AddMinutes(1)));
        Assert.Empty(tenant.DomainEvents);
        Assert.True(tenant.Update("Acme", TenantStatus.Suspended, TenantPolicy.Default, Now.AddMinutes(1)));
        Assert.IsType<TenantUpdated>(Assert.Single(tenant.DomainEvents));
    }

    [Fact]
    public void The_policy_keeps_known_methods_in_order_and_lower_cases_domains()
    {
        var policy = TenantPolicy.Create(true, ["federation", "password", "password"], ["Acme.Example", "acme.example", "b.example"]);

        Assert.Equal(["password", "federation"], policy.AllowedSignInMethods);
        Assert.Equal(["acme.example", "b.example"], policy.AllowedEmailDomains);
        Assert.True(policy.RequireMfa);
    }

    [Theory]
    [InlineData("sms")]
    [InlineData("Password")]
    public void An_unknown_sign_in_method_is_refused(string method) =>
        AssertRefused("allowed_sign_in_methods", () => TenantPolicy.Create(false, [method], []));

    [Theory]
    [InlineData("@acme.example")]
    [InlineData("*.acme.example")]
    [InlineData("localhost")]
    [InlineData("")]
    [InlineData("-a.example")]
    public void A_domain_that_is_not_a_host_name_is_refused(string domain) =>
        AssertRefused("allowed_email_domains", () => TenantPolicy.Create(false, [], [domain]));

    [Fact]
    public void A_display_name_is_required_and_one_line()
    {
        AssertRefused("display_name", () => Tenant.Create(Guid.NewGuid(), "acme", " ", TenantStatus.Active, TenantPolicy.Default, Now));
        AssertRefused("display_name", () => Tenant.Create(Guid.NewGuid(), "acme", "A\nB", TenantStatus.Active, TenantPolicy.Default, Now));
    }
}

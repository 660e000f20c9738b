using AuthService.Domain.Tenants;
using AuthService.Domain.Users;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Tenants;

/// <summary>Which addresses and accounts a tenant's <c>allowed_email_domains</c> admits (docs/adr/0038, "Joining").</summary>
public class TenantPolicyEmailTests
{
    private static readonly TenantPolicy Acme = TenantPolicy.Create(false, [], ["acme.example", "xn--bcher-kva.example"]);

    [Theory]
    [InlineData("grace@acme.example")]
    [InlineData("Grace@ACME.Example")]
    [InlineData("grace@acme.example ")]
    [InlineData("grace@bücher.example")]
    [InlineData("grace@BÜCHER.example")]
    [InlineData("grace@xn--bcher-kva.example")]
    public void An_address_at_an_allowed_domain_is_admitted_case_insensitively_and_in_either_form_of_an_internationalized_domain(string email) =>
        Assert.True(Acme.AllowsEmail(email));

    [Theory]
    [InlineData("grace@eu.acme.example")]
    [InlineData("grace@acme.example.evil")]
    [InlineData("grace@evilacme.example")]
    [InlineData("acme.example")]
    [InlineData("grace@")]
    [InlineData("")]
    [InlineData(null)]
    public void Another_host_a_subdomain_or_no_address_is_not(string? email) =>
        Assert.False(Acme.AllowsEmail(email));

    [Fact]
    public void No_domains_admit_any_address_and_any_account()
    {
        Assert.True(TenantPolicy.Default.AllowsEmail("grace@anywhere.example"));
        Assert.True(TenantPolicy.Default.Admits(Person(null, verified: false)));
    }

    [Fact]
    public void An_account_is_admitted_only_with_a_verified_address_at_an_allowed_domain()
    {
        Assert.True(Acme.Admits(Person("grace@acme.example", verified: true)));
        Assert.False(Acme.Admits(Person("grace@acme.example", verified: false)));
        Assert.False(Acme.Admits(Person("grace@other.example", verified: true)));
        Assert.False(Acme.Admits(Person(null, verified: false)));
    }

    private static User Person(string? email, bool verified) =>
        User.Register(Guid.NewGuid(), new UserProfile("p-" + Guid.NewGuid().ToString("N")[..8], email, verified, null), PasswordHash, Stamp, Now);
}

using AuthService.Domain.Common;
using AuthService.Domain.Resources;
using AuthService.Domain.Resources.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Resources;

public class ProtectedResourceTests
{
    private const string Orders = "https://api.example.com/orders";

    private static readonly DateTimeOffset Later = Now.AddHours(1);

    private static ProtectedResourceSettings Settings() => new("Orders API", ["orders.read", "orders.write"]);

    [Fact]
    public void Register_keeps_the_settings_enabled_and_raises_the_event()
    {
        var resource = ProtectedResource.Register(Orders, Settings() with
        {
            AccessTokenLifetime = TimeSpan.FromMinutes(10),
            AccessTokenSigningAlg = "EdDSA",
            IntrospectionClients = ["orders-api"],
            AllowedClients = ["svc"],
        }, Now);

        Assert.Equal(Orders, resource.Resource);
        Assert.Equal("Orders API", resource.Name);
        Assert.Equal(["orders.read", "orders.write"], resource.Scopes);
        Assert.Equal(TimeSpan.FromMinutes(10), resource.AccessTokenLifetime);
        Assert.Equal("EdDSA", resource.AccessTokenSigningAlg);
        Assert.Equal(["orders-api"], resource.IntrospectionClients);
        Assert.Equal(["svc"], resource.AllowedClients);
        Assert.True(resource.Enabled);
        Assert.Equal(Now, resource.CreatedAt);
        Assert.Equal(new ProtectedResourceRegistered(Orders, Now), Assert.Single(resource.DomainEvents));
    }

    [Theory]
    [InlineData("https://api.example.com/orders")]
    [InlineData("https://api.example.com")]
    [InlineData("https://api.example.com:8443/orders?tenant=1")]
    [InlineData("http://127.0.0.1:3000/mcp")]
    [InlineData("http://[::1]/mcp")]
    [InlineData("http://localhost:8080/mcp")]
    public void Valid_identifiers_are_accepted(string identifier) => Assert.Null(ProtectedResource.ValidateIdentifier(identifier));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://api.example.com/orders#x")]
    [InlineData("https://api.example.com/orders#")]
    [InlineData("/orders")]
    [InlineData("api.example.com/orders")]
    [InlineData("http://api.example.com/orders")]
    [InlineData("http://127.0.0.1.evil.example/mcp")]
    [InlineData("ftp://api.example.com/orders")]
    [InlineData("urn:example:orders")]
    [InlineData("HTTPS://api.example.com/orders")]
    [InlineData("https://user@api.example.com/orders")]
    [InlineData("https://api.example.com/or ders")]
    [InlineData("https://api.example.com/orders\n")]
    [InlineData("https://api.example.com/ördérs")]
    public void Malformed_identifiers_are_refused(string? identifier)
    {
        Assert.NotNull(ProtectedResource.ValidateIdentifier(identifier));
        if (identifier is not null)
        {
            Assert.Equal("resource", Assert.Throws<DomainRuleViolationException>(() => ProtectedResource.Register(identifier, Settings(), Now)).Field);
        }
    }

    [Fact]
    public void An_identifier_longer_than_the_limit_is_refused() =>
        Assert.NotNull(ProtectedResource.ValidateIdentifier("https://api.example.com/" + new string('a', ProtectedResource.MaxResourceLength)));

    public static TheoryData<string, ProtectedResourceSettings> InvalidSettings => new()
    {
        { "name", new ProtectedResourceSettings(" ", ["orders.read"]) },
        { "name", new ProtectedResourceSettings(new string('n', 201), ["orders.read"]) },
        { "name", new ProtectedResourceSettings("Orders\u0007", ["orders.read"]) },
        { "scopes", new ProtectedResourceSettings("Orders", []) },
        { "scopes", new ProtectedResourceSettings("Orders", ["orders read"]) },
        { "scopes", new ProtectedResourceSettings("Orders", ["orders\"read"]) },
        { "scopes", new ProtectedResourceSettings("Orders", ["orders.read", "orders.read"]) },
        { "access_token_lifetime", new ProtectedResourceSettings("Orders", ["orders.read"], TimeSpan.FromSeconds(29)) },
        { "access_token_lifetime", new ProtectedResourceSettings("Orders", ["orders.read"], TimeSpan.FromSeconds(3601)) },
        { "access_token_signing_alg", new ProtectedResourceSettings("Orders", ["orders.read"], AccessTokenSigningAlg: "HS256") },
        { "access_token_signing_alg", new ProtectedResourceSettings("Orders", ["orders.read"], AccessTokenSigningAlg: "none") },
        { "introspection_clients", new ProtectedResourceSettings("Orders", ["orders.read"], IntrospectionClients: [""]) },
        { "introspection_clients", new ProtectedResourceSettings("Orders", ["orders.read"], IntrospectionClients: ["a", "a"]) },
        { "allowed_clients", new ProtectedResourceSettings("Orders", ["orders.read"], AllowedClients: ["bad\u0001id"]) },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Invalid_settings_are_refused_naming_the_field_and_change_nothing(string field, ProtectedResourceSettings settings)
    {
        Assert.Equal(field, Assert.Throws<DomainRuleViolationException>(() => ProtectedResource.Register(Orders, settings, Now)).Field);

        var resource = ProtectedResource.Register(Orders, Settings(), Now);
        Assert.Equal(field, Assert.Throws<DomainRuleViolationException>(() => resource.Reconfigure(settings, Later)).Field);
        Assert.Equal(["orders.read", "orders.write"], resource.Scopes);
        Assert.Equal("Orders API", resource.Name);
    }

    [Fact]
    public void Reconfigure_applies_changes_once()
    {
        var resource = ProtectedResource.Register(Orders, Settings(), Now);
        resource.ClearDomainEvents();

        Assert.True(resource.Reconfigure(Settings() with { Scopes = ["orders.read"] }, Later));
        Assert.False(resource.Reconfigure(Settings() with { Scopes = ["orders.read"] }, Later.AddMinutes(1)));

        Assert.Equal(["orders.read"], resource.Scopes);
        Assert.Equal(Later, resource.UpdatedAt);
        Assert.Equal(new ProtectedResourceReconfigured(Orders, Later), Assert.Single(resource.DomainEvents));
    }

    [Fact]
    public void Disable_and_enable_are_transitions_that_report_no_change_when_already_there()
    {
        var resource = ProtectedResource.Register(Orders, Settings(), Now);
        resource.ClearDomainEvents();

        Assert.True(resource.Disable(Later));
        Assert.False(resource.Disable(Later));
        Assert.False(resource.Enabled);
        Assert.True(resource.Enable(Later));
        Assert.False(resource.Enable(Later));

        Assert.Equal([new ProtectedResourceDisabled(Orders, Later), new ProtectedResourceEnabled(Orders, Later)], resource.DomainEvents);
    }

    [Fact]
    public void A_resource_is_available_to_a_client_allowed_one_of_its_scopes_while_enabled()
    {
        var resource = ProtectedResource.Register(Orders, Settings(), Now);

        Assert.True(resource.IsAvailableTo("svc", new HashSet<string> { "orders.write", "api.read" }));
        Assert.False(resource.IsAvailableTo("svc", new HashSet<string> { "api.read" }));

        resource.Disable(Later);
        Assert.False(resource.IsAvailableTo("svc", new HashSet<string> { "orders.read" }));
    }

    [Fact]
    public void Allowed_clients_restrict_who_may_ask_for_the_resource()
    {
        var resource = ProtectedResource.Register(Orders, Settings() with { AllowedClients = ["svc"] }, Now);

        Assert.True(resource.IsAvailableTo("svc", new HashSet<string> { "orders.read" }));
        Assert.False(resource.IsAvailableTo("other", new HashSet<string> { "orders.read" }));
        Assert.False(resource.IsAvailableTo("SVC", new HashSet<string> { "orders.read" }));
    }

    [Fact]
    public void Only_introspection_clients_may_introspect()
    {
        var resource = ProtectedResource.Register(Orders, Settings() with { IntrospectionClients = ["orders-api"] }, Now);

        Assert.True(resource.MayBeIntrospectedBy("orders-api"));
        Assert.False(resource.MayBeIntrospectedBy("svc"));
        Assert.False(ProtectedResource.Register(Orders, Settings(), Now).MayBeIntrospectedBy(Orders));
    }

    [Fact]
    public void Times_must_be_utc()
    {
        var local = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(2));

        Assert.Throws<DomainRuleViolationException>(() => ProtectedResource.Register(Orders, Settings(), local));
        Assert.Throws<DomainRuleViolationException>(() => ProtectedResource.Register(Orders, Settings(), Now).Disable(local));
    }
}

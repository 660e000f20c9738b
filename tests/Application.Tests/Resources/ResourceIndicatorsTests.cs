using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Resources;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Resources;

namespace AuthService.Application.Tests.Resources;

public class ResourceIndicatorsTests
{
    private const string Orders = "https://api.example/orders";
    private const string Inventory = "https://api.example/inventory";
    private const string Issuer = "https://auth.example";

    private readonly InMemoryProtectedResourceRepository _repository = new();
    private readonly ResourceIndicators _indicators;
    private readonly ClientSnapshot _client = ClientSnapshot.From(TestClients.RegisterService(
        settings: TestClients.Service() with { AllowedScopes = ["orders.read", "orders.write", "inventory.read", "api.read"] }));

    public ResourceIndicatorsTests()
    {
        _repository.Add(ProtectedResource.Register(Orders, new("Orders", ["orders.read", "orders.write"], TimeSpan.FromMinutes(5), "RS256"), TestClock.Start));
        _repository.Add(ProtectedResource.Register(Inventory, new("Inventory", ["inventory.read"]), TestClock.Start));
        _indicators = new ResourceIndicators(_repository);
    }

    [Fact]
    public void Parse_splits_carried_values_and_drops_repeats()
    {
        var parsed = ResourceIndicators.Parse(ResourceIndicators.Join([Orders, Inventory, Orders]));

        Assert.Equal([Orders, Inventory], parsed.Value);
    }

    [Fact]
    public void A_value_containing_a_space_is_never_split_into_two()
    {
        var parsed = ResourceIndicators.Parse(ResourceIndicators.Join([Orders + " " + Inventory]));

        Assert.Equal(OAuthError.MalformedResource, parsed.Error);
    }

    [Fact]
    public void More_than_the_limit_is_refused()
    {
        var values = Enumerable.Range(0, ResourceIndicators.MaxResources + 1).Select(i => $"https://api.example/{i}");

        Assert.Equal(OAuthError.TooManyResources, ResourceIndicators.Parse(ResourceIndicators.Join(values)).Error);
    }

    [Fact]
    public void Without_resources_the_target_is_the_clients_audience_scopes_and_lifetime()
    {
        var target = ResourceIndicators.Target([], ["api.read", "openid"], _client, Issuer).Value!;

        Assert.Equal([_client.Audience ?? Issuer], target.Audiences);
        Assert.Equal(["api.read", "openid"], target.Scopes);
        Assert.Equal(_client.AccessTokenLifetime, target.Lifetime);
        Assert.Null(target.Algorithm);
    }

    [Fact]
    public async Task A_grant_request_may_name_only_resources_of_the_grant_and_gets_all_of_them_without_one()
    {
        Assert.Equal(OAuthError.ResourceNotInGrant, (await _indicators.ForGrantAsync(Inventory, [Orders], _client, CancellationToken.None)).Error);
        Assert.Equal([Orders], (await _indicators.ForGrantAsync(Orders, [Orders, Inventory], _client, CancellationToken.None)).Value!.Select(r => r.Resource));
        Assert.Equal([Orders, Inventory], (await _indicators.ForGrantAsync(null, [Orders, Inventory], _client, CancellationToken.None)).Value!.Select(r => r.Resource));
        Assert.Empty((await _indicators.ForGrantAsync(null, [], _client, CancellationToken.None)).Value!);
    }

    [Fact]
    public async Task Targets_narrow_scopes_and_take_the_shortest_lifetime_and_the_set_algorithm()
    {
        var resources = (await _indicators.ResolveAsync([Orders, Inventory], _client, CancellationToken.None)).Value!;

        var target = ResourceIndicators.Target(resources, ["openid", "offline_access", "orders.read", "inventory.read", "api.read"], _client, Issuer).Value!;

        Assert.Equal([Orders, Inventory], target.Audiences);
        Assert.Equal(["orders.read", "inventory.read"], target.Scopes);
        Assert.Equal(TimeSpan.FromMinutes(5), target.Lifetime);
        Assert.Equal("RS256", target.Algorithm);
    }

    [Fact]
    public async Task A_resource_left_without_any_scope_is_invalid_target()
    {
        var resources = (await _indicators.ResolveAsync([Orders, Inventory], _client, CancellationToken.None)).Value!;

        Assert.Equal(OAuthError.ResourceScopeMismatch, ResourceIndicators.Target(resources, ["orders.read"], _client, Issuer).Error);
    }

    [Fact]
    public async Task Unknown_disabled_and_restricted_resources_read_alike()
    {
        var disabled = ProtectedResource.Register("https://api.example/disabled", new("Disabled", ["orders.read"]), TestClock.Start);
        disabled.Disable(TestClock.Start);
        _repository.Add(disabled);
        _repository.Add(ProtectedResource.Register("https://api.example/restricted", new("Restricted", ["orders.read"], AllowedClients: ["other"]), TestClock.Start));
        _repository.Add(ProtectedResource.Register("https://api.example/foreign", new("Foreign", ["billing.read"]), TestClock.Start));

        foreach (var resource in (string[])["https://api.example/unknown", "https://api.example/disabled", "https://api.example/restricted", "https://api.example/foreign"])
        {
            Assert.Equal(OAuthError.ResourceNotAllowed, (await _indicators.ResolveAsync([resource], _client, CancellationToken.None)).Error);
        }
    }
}

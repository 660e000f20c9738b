using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using static AuthService.Integration.Tests.Resources.ResourceFixture;

namespace AuthService.Integration.Tests.Resources;

/// <summary>RFC 8707 §2 at the token endpoint with client_credentials: audience, scope narrowing, lifetime, algorithm, and every refusal.</summary>
public sealed class ClientCredentialsResourceTests(ResourceFixture fixture) : IClassFixture<ResourceFixture>
{
    [Fact]
    public async Task A_token_for_a_resource_has_it_as_its_only_audience_and_only_its_scopes_lifetime_and_algorithm()
    {
        using var response = await fixture.ClientCredentialsAsync(scope: null, Orders);

        var body = await OAuthAssert.TokenSuccessAsync(response);
        var token = ResourceTokens.Read(body);
        var aud = ResourceTokens.RawAudience(token);
        Assert.Equal(JsonValueKind.String, aud.ValueKind);
        Assert.Equal(Orders, aud.GetString());
        Assert.Equal(["orders.read", "orders.write"], ResourceTokens.Scopes(token));
        Assert.Equal(["orders.read", "orders.write"], OAuthAssert.ScopeSet(body));
        Assert.Equal(600, body.GetProperty("expires_in").GetInt32());
        Assert.Equal(600, (int)(token.ValidTo - token.IssuedAt).TotalSeconds);
        Assert.Equal("RS256", token.Alg);
    }

    [Fact]
    public async Task Requested_scopes_are_narrowed_to_the_resource()
    {
        using var response = await fixture.ClientCredentialsAsync("orders.read api.read inventory.read", Orders);

        var body = await OAuthAssert.TokenSuccessAsync(response);
        Assert.Equal(["orders.read"], ResourceTokens.Scopes(ResourceTokens.Read(body)));
        Assert.Equal("orders.read", body.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task A_scope_that_belongs_to_none_of_the_resources_is_invalid_target()
    {
        using var response = await fixture.ClientCredentialsAsync("api.read", Orders);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task The_resource_default_algorithm_and_another_one_are_honoured()
    {
        using var inventory = await fixture.ClientCredentialsAsync(scope: null, Inventory);
        using var ed = await fixture.ClientCredentialsAsync(scope: null, Ed);

        var inventoryToken = ResourceTokens.Read(await OAuthAssert.TokenSuccessAsync(inventory));
        Assert.Equal("ES256", inventoryToken.Alg);
        Assert.Equal(3600, (int)(inventoryToken.ValidTo - inventoryToken.IssuedAt).TotalSeconds);
        Assert.Equal("EdDSA", ResourceTokens.Read(await OAuthAssert.TokenSuccessAsync(ed)).Alg);
    }

    [Fact]
    public async Task Two_resources_give_both_audiences_the_union_of_their_scopes_and_the_shortest_lifetime()
    {
        using var response = await fixture.ClientCredentialsAsync(scope: null, Orders, Inventory);

        var body = await OAuthAssert.TokenSuccessAsync(response);
        var token = ResourceTokens.Read(body);
        var aud = ResourceTokens.RawAudience(token);
        Assert.Equal(JsonValueKind.Array, aud.ValueKind);
        Assert.Equal([Orders, Inventory], aud.EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(["inventory.read", "orders.read", "orders.write"], ResourceTokens.Scopes(token));
        Assert.Equal(600, body.GetProperty("expires_in").GetInt32());
    }

    [Fact]
    public async Task Resources_asking_for_different_algorithms_cannot_share_a_token()
    {
        using var response = await fixture.ClientCredentialsAsync(scope: null, Orders, Ed);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task A_repeated_resource_counts_once()
    {
        using var response = await fixture.ClientCredentialsAsync(scope: null, Orders, Orders);

        var aud = ResourceTokens.RawAudience(ResourceTokens.Read(await OAuthAssert.TokenSuccessAsync(response)));
        Assert.Equal(Orders, aud.GetString());
    }

    [Theory]
    [InlineData("https://orders.test/api#frag")]
    [InlineData("/api")]
    [InlineData("orders.test/api")]
    [InlineData("http://orders.test/api")]
    [InlineData("https://user@orders.test/api")]
    [InlineData("https://orders.test/a pi")]
    [InlineData("urn:example:orders")]
    public async Task A_malformed_resource_is_invalid_target(string resource)
    {
        using var response = await fixture.ClientCredentialsAsync(scope: null, resource);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Theory]
    [InlineData("https://unknown.test/api")]
    [InlineData("https://orders.test/api/")]
    [InlineData("https://ORDERS.test/api")]
    [InlineData(Restricted)]
    public async Task An_unknown_or_unallowed_resource_is_invalid_target(string resource)
    {
        using var response = await fixture.ClientCredentialsAsync(scope: null, resource);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task One_bad_resource_among_good_ones_refuses_the_request()
    {
        using var response = await fixture.ClientCredentialsAsync(scope: null, Orders, "https://unknown.test/api");

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task A_client_allowed_none_of_the_resource_scopes_is_refused_it()
    {
        using var response = await fixture.ClientCredentialsAsAsync(Outsider, OutsiderSecret, scope: null, Orders);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task A_disabled_resource_is_invalid_target()
    {
        using (var before = await fixture.ClientCredentialsAsync(scope: null, Disabled))
        {
            await OAuthAssert.TokenSuccessAsync(before);
        }

        await fixture.DisableAsync(Disabled);
        using var after = await fixture.ClientCredentialsAsync(scope: null, Disabled);

        await OAuthAssert.TokenErrorAsync(after, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task Without_a_resource_the_audience_and_scopes_are_as_before()
    {
        using var plain = await fixture.ClientCredentialsAsync(scope: null);
        using var withAudience = await fixture.Client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials")),
            Protocol.Basic(TestClients.CX, TestClients.CXSecret));

        var body = await OAuthAssert.TokenSuccessAsync(plain);
        var token = ResourceTokens.Read(body);
        Assert.Equal(TestClients.Issuer, ResourceTokens.RawAudience(token).GetString());
        Assert.Equal(["api.read", "ed.read", "inventory.read", "orders.read", "orders.write"], ResourceTokens.Scopes(token));
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());
        Assert.Equal(TestClients.CXAudience, ResourceTokens.RawAudience(ResourceTokens.Read(await OAuthAssert.TokenSuccessAsync(withAudience))).GetString());
    }

    [Fact]
    public async Task A_resource_introspection_client_may_introspect_its_tokens_and_another_resource_client_may_not()
    {
        using var response = await fixture.ClientCredentialsAsync(scope: null, Orders);
        var token = (await OAuthAssert.TokenSuccessAsync(response)).GetProperty("access_token").GetString()!;

        using var byOrders = await fixture.IntrospectAsAsync(token, OrdersIntrospector, OrdersIntrospectorSecret);
        var active = await BackChannel.ActiveAsync(byOrders);
        Assert.Equal(Orders, Assert.Single(active.GetProperty("aud").EnumerateArray()).GetString());
        Assert.Equal("orders.read orders.write", active.GetProperty("scope").GetString());

        using var byInventory = await fixture.IntrospectAsAsync(token, InventoryIntrospector, InventoryIntrospectorSecret);
        await BackChannel.InactiveAsync(byInventory, "the inventory API's client is not an introspection client of the orders API");

        using var byOwner = await fixture.IntrospectAsAsync(token, Service, ServiceSecret);
        await BackChannel.ActiveAsync(byOwner);
    }
}

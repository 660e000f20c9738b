using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.PushedAuthorization;
using static AuthService.Integration.Tests.Resources.ResourceFixture;

namespace AuthService.Integration.Tests.Resources;

/// <summary>
/// RFC 8707 §2.1 and §2.2 on the code flow: resources named at the authorization (and PAR) endpoint are bound to the code and
/// the refresh token family; a token request may name any of them and no other; a refresh may switch between them.
/// </summary>
public sealed class CodeFlowResourceTests(ResourceFixture fixture) : IClassFixture<ResourceFixture>
{
    private const string Scope = "openid offline_access orders.read inventory.read api.read";

    [Fact]
    public async Task A_code_for_one_resource_gives_a_token_for_it_with_its_scopes_and_still_an_id_token()
    {
        var pkce = PkcePair.New();
        var code = await fixture.CodeAsync(Scope, pkce, resources: [Orders]);

        using var response = await fixture.RedeemAsync(code, pkce);

        var body = await OAuthAssert.TokenSuccessAsync(response, codeFlow: true);
        var token = ResourceTokens.Read(body);
        Assert.Equal(Orders, ResourceTokens.RawAudience(token).GetString());
        Assert.Equal(["orders.read"], ResourceTokens.Scopes(token));
        Assert.Equal("orders.read", body.GetProperty("scope").GetString());
        Assert.Equal(600, body.GetProperty("expires_in").GetInt32());
        Assert.True(body.TryGetProperty("id_token", out _), "openid was granted: the ID token does not depend on the resource");
        Assert.True(body.TryGetProperty("refresh_token", out _), "offline_access was granted");
    }

    [Fact]
    public async Task A_refresh_switches_between_the_resources_of_the_grant_and_no_other()
    {
        var pkce = PkcePair.New();
        var code = await fixture.CodeAsync(Scope, pkce, resources: [Orders, Inventory]);
        using var redeemed = await fixture.RedeemAsync(code, pkce, resources: [Inventory]);
        var first = await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true);
        Assert.Equal(Inventory, ResourceTokens.RawAudience(ResourceTokens.Read(first)).GetString());
        Assert.Equal("inventory.read", first.GetProperty("scope").GetString());
        var refreshToken = first.GetProperty("refresh_token").GetString()!;

        // Not in the grant, unknown, malformed: refused, and the refresh token is not used up.
        foreach (var other in (string[])[Ed, "https://unknown.test/api", "https://orders.test/api#x"])
        {
            using var refused = await fixture.RefreshAsync(refreshToken, resources: [other]);
            await OAuthAssert.TokenErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_target");
        }

        using var toOrders = await fixture.RefreshAsync(refreshToken, resources: [Orders]);
        var second = await OAuthAssert.TokenSuccessAsync(toOrders, codeFlow: true);
        Assert.Equal(Orders, ResourceTokens.RawAudience(ResourceTokens.Read(second)).GetString());
        Assert.Equal("orders.read", second.GetProperty("scope").GetString());

        using var toAll = await fixture.RefreshAsync(second.GetProperty("refresh_token").GetString()!);
        var third = await OAuthAssert.TokenSuccessAsync(toAll, codeFlow: true);
        Assert.Equal([Orders, Inventory], ResourceTokens.RawAudience(ResourceTokens.Read(third)).EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(["inventory.read", "orders.read"], OAuthAssert.ScopeSet(third));
    }

    [Fact]
    public async Task A_refresh_narrowing_the_scope_away_from_the_resource_is_invalid_target()
    {
        var pkce = PkcePair.New();
        var code = await fixture.CodeAsync(Scope, pkce, resources: [Orders]);
        using var redeemed = await fixture.RedeemAsync(code, pkce);
        var refreshToken = (await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true)).GetProperty("refresh_token").GetString()!;

        using var response = await fixture.RefreshAsync(refreshToken, scope: "api.read", resources: [Orders]);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task Redeeming_for_a_resource_the_grant_never_had_is_refused_and_leaves_the_code_usable()
    {
        var pkce = PkcePair.New();
        var code = await fixture.CodeAsync(Scope, pkce, resources: [Orders]);

        using (var refused = await fixture.RedeemAsync(code, pkce, resources: [Inventory]))
        {
            await OAuthAssert.TokenErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_target");
        }

        using var redeemed = await fixture.RedeemAsync(code, pkce, resources: [Orders]);
        var body = await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true);
        Assert.Equal(Orders, ResourceTokens.RawAudience(ResourceTokens.Read(body)).GetString());
    }

    [Fact]
    public async Task A_grant_without_resources_keeps_todays_audience_and_refuses_any_resource_later()
    {
        var pkce = PkcePair.New();
        var code = await fixture.CodeAsync(Scope, pkce);

        using (var refused = await fixture.RedeemAsync(code, pkce, resources: [Orders]))
        {
            await OAuthAssert.TokenErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_target");
        }

        using var redeemed = await fixture.RedeemAsync(code, pkce);
        var body = await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true);
        Assert.Equal(TestClients.Issuer, ResourceTokens.RawAudience(ResourceTokens.Read(body)).GetString());
        Assert.Equal(["api.read", "inventory.read", "offline_access", "openid", "orders.read"], OAuthAssert.ScopeSet(body));
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());

        using var refresh = await fixture.RefreshAsync(body.GetProperty("refresh_token").GetString()!, resources: [Orders]);
        await OAuthAssert.TokenErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Theory]
    [InlineData("https://unknown.test/api", Scope)]
    [InlineData("https://orders.test/api#frag", Scope)]
    [InlineData("api", Scope)]
    [InlineData(Restricted, Scope)]
    [InlineData(Orders, "openid api.read")]
    public async Task An_unacceptable_resource_at_the_authorization_endpoint_is_an_invalid_target_redirect(string resource, string scope)
    {
        using var browser = fixture.NewBrowser();

        using var response = await browser.GetAsync(AuthorizeUrl(scope, PkcePair.New(), resources: [resource]));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.StartsWith(WebRedirect + "?", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var parameters = Browser.ResponseParameters(response);
        Assert.Equal("invalid_target", parameters["error"]);
        Assert.Equal("st-1", parameters["state"]);
        Assert.False(parameters.ContainsKey("code"));
    }

    [Fact]
    public async Task The_consent_page_names_the_apis_asked_for()
    {
        using var browser = fixture.NewBrowser();
        // prompt=consent: other tests of the class may have consented to these scopes already.
        var url = AuthorizeUrl(Scope, PkcePair.New(), resources: [Orders, Inventory]) + "&prompt=consent";
        var response = await browser.FollowAsync(await browser.GetAsync(url));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("name=\"password\"", html, StringComparison.Ordinal);

        response = await browser.FollowAsync(await browser.SignInAsync(html, SignInClients.AliceUsername, SignInClients.AlicePassword));
        html = await response.Content.ReadAsStringAsync();

        Assert.Contains("name=\"decision\"", html, StringComparison.Ordinal);
        Assert.Contains("<strong>Orders API</strong> (https://orders.test/api)", html, StringComparison.Ordinal);
        Assert.Contains("<strong>Inventory API</strong> (https://inventory.test/api)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pushed_request_carries_its_resource_to_the_code_and_refuses_an_unknown_one()
    {
        var pkce = PkcePair.New();
        var form = PushedClients.Parameters(Web, WebRedirect, Scope, pkce);
        form["resource"] = "https://unknown.test/api";
        using (var refused = await PushedClients.PushAsync(fixture.Client, form, Web, WebSecret))
        {
            await PushedClients.AssertErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_target");
        }

        form = PushedClients.Parameters(Web, WebRedirect, Scope, pkce);
        form["resource"] = Inventory;
        var requestUri = await PushedClients.PushedRequestUriAsync(fixture.Client, form, Web, WebSecret);
        using var browser = fixture.NewBrowser();
        var authorized = await browser.AuthorizeAsync(PushedClients.AuthorizeUrl(Web, requestUri));
        var code = Browser.ResponseParameters(authorized)["code"];

        using var redeemed = await fixture.RedeemAsync(code, pkce);
        var body = await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true);
        Assert.Equal(Inventory, ResourceTokens.RawAudience(ResourceTokens.Read(body)).GetString());
    }

    [Fact]
    public async Task A_public_client_gets_a_token_for_an_http_loopback_resource_as_an_mcp_client_asks()
    {
        var pkce = PkcePair.New();
        var code = await fixture.CodeAsync("mcp:tools", pkce, McpClient, McpRedirect, resources: [Mcp]);

        using var response = await fixture.RedeemAsync(code, pkce, McpClient, McpRedirect, resources: [Mcp]);

        var body = await OAuthAssert.TokenSuccessAsync(response, codeFlow: true);
        var token = ResourceTokens.Read(body);
        Assert.Equal(Mcp, ResourceTokens.RawAudience(token).GetString());
        Assert.Equal(["mcp:tools"], ResourceTokens.Scopes(token));
    }

    [Fact]
    public async Task Codes_and_families_store_the_granted_resources()
    {
        var pkce = PkcePair.New();
        var code = await fixture.CodeAsync(Scope, pkce, resources: [Inventory, Orders]);
        using var redeemed = await fixture.RedeemAsync(code, pkce);
        await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true);

        var codeResources = await fixture.Database.ScalarAsync<string>(
            "SELECT resources FROM authorization_codes WHERE client_id = @c ORDER BY issued_at DESC LIMIT 1", ("c", Web));
        var familyResources = await fixture.Database.ScalarAsync<string>(
            "SELECT resources FROM refresh_token_families WHERE client_id = @c ORDER BY created_at DESC LIMIT 1", ("c", Web));
        Assert.Equal([Inventory, Orders], JsonSerializer.Deserialize<string[]>(codeResources)!);
        Assert.Equal([Inventory, Orders], JsonSerializer.Deserialize<string[]>(familyResources)!);
    }

    [Fact]
    public async Task A_resource_disabled_after_the_grant_is_refused_at_refresh()
    {
        var pkce = PkcePair.New();
        var code = await fixture.CodeAsync(Scope, pkce, resources: [Disabled]);
        using var redeemed = await fixture.RedeemAsync(code, pkce);
        var refreshToken = (await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true)).GetProperty("refresh_token").GetString()!;

        await fixture.DisableAsync(Disabled);
        using var response = await fixture.RefreshAsync(refreshToken);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task Parallel_redemptions_of_a_code_with_a_resource_give_one_token()
    {
        var pkce = PkcePair.New();
        var code = await fixture.CodeAsync(Scope, pkce, resources: [Orders]);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fixture.RedeemAsync(code, pkce, resources: [Orders])));

        var outcomes = await Task.WhenAll(responses.Select(async r => (r.StatusCode, await r.Content.ReadAsStringAsync())));
        Assert.Single(outcomes, o => o.StatusCode == HttpStatusCode.OK);
        Assert.All(outcomes.Where(o => o.StatusCode != HttpStatusCode.OK), o => Assert.Contains("\"invalid_grant\"", o.Item2, StringComparison.Ordinal));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.PushedAuthorization;
using Microsoft.AspNetCore.WebUtilities;
using static AuthService.Integration.Tests.Resources.ResourceFixture;

namespace AuthService.Integration.Tests.Resources;

/// <summary>RFC 8707 §2.1 inside a signed request object (RFC 9101): <c>resource</c> as a string or an array of strings.</summary>
public sealed class RequestObjectResourceTests(ResourceFixture fixture) : IClassFixture<ResourceFixture>
{
    private static string Url(PkcePair pkce, JsonNode resource)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = Jar, ["aud"] = TestClients.Issuer, ["iat"] = now, ["nbf"] = now - 5, ["exp"] = now + 300, ["jti"] = Guid.NewGuid().ToString("N"),
            ["response_type"] = "code", ["client_id"] = Jar, ["redirect_uri"] = JarRedirect, ["scope"] = "openid orders.read inventory.read",
            ["state"] = "jar-state", ["code_challenge"] = pkce.Challenge, ["code_challenge_method"] = "S256", ["resource"] = resource,
        };
        var header = new JsonObject { ["alg"] = "ES256", ["kid"] = PushedClients.PJKid, ["typ"] = "oauth-authz-req+jwt" };
        var requestObject = Jose.SignEs256(header, Jose.Encode(claims.ToJsonString()), PushedClients.PJKey);
        return QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?> { ["client_id"] = Jar, ["request"] = requestObject });
    }

    [Fact]
    public async Task An_array_of_resources_in_a_request_object_is_bound_to_the_code()
    {
        var pkce = PkcePair.New();
        using var browser = fixture.NewBrowser();
        using var authorized = await browser.AuthorizeAsync(Url(pkce, new JsonArray(Orders, Inventory)));
        var code = Browser.ResponseParameters(authorized)["code"];

        using var response = await fixture.RedeemAsync(code, pkce, Jar, JarRedirect);

        var body = await OAuthAssert.TokenSuccessAsync(response, codeFlow: true);
        var aud = ResourceTokens.RawAudience(ResourceTokens.Read(body));
        Assert.Equal([Orders, Inventory], aud.EnumerateArray().Select(a => a.GetString()!));
    }

    [Fact]
    public async Task A_single_resource_string_in_a_request_object_is_bound_to_the_code()
    {
        var pkce = PkcePair.New();
        using var browser = fixture.NewBrowser();
        using var authorized = await browser.AuthorizeAsync(Url(pkce, JsonValue.Create(Inventory)));
        var code = Browser.ResponseParameters(authorized)["code"];

        using var response = await fixture.RedeemAsync(code, pkce, Jar, JarRedirect);

        Assert.Equal(Inventory, ResourceTokens.RawAudience(ResourceTokens.Read(await OAuthAssert.TokenSuccessAsync(response, codeFlow: true))).GetString());
    }

    [Theory]
    [InlineData("""["https://orders.test/api", 5]""")]
    [InlineData("""["https://orders.test/api https://inventory.test/api"]""")]
    [InlineData("""["https://unknown.test/api"]""")]
    public async Task A_bad_resource_in_a_request_object_is_an_invalid_target_redirect(string resource)
    {
        using var browser = fixture.NewBrowser();

        using var response = await browser.GetAsync(Url(PkcePair.New(), JsonNode.Parse(resource)!));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var parameters = Browser.ResponseParameters(response);
        Assert.Equal("invalid_target", parameters["error"]);
        Assert.Equal("jar-state", parameters["state"]);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// docs/guides/resource-server-aspnetcore.md, part (a): samples/JwtBearerApi, ASP.NET Core's own JwtBearer handler configured
/// for AuthService (Authority, ValidAudience, ValidTypes at+jwt, MapInboundClaims off, a policy per scope), run as its own process
/// against the real server. Part (b), the resource-server library, is OrdersApiEndToEndTests.
/// </summary>
[Collection(WebGuideCollection.Name)]
public sealed class JwtBearerSampleTests(WebGuideServer server)
{
    [Fact]
    public async Task The_JwtBearer_sample_accepts_the_servers_tokens_for_its_audience_and_enforces_scopes()
    {
        var address = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}");
        await using var api = await WebGuideServer.StartSampleAsync("JwtBearerApi", address,
            ["--Authority", server.Issuer, "--Audience", WebGuideServer.OrdersApi], "/orders", HttpStatusCode.Unauthorized);
        using var client = new HttpClient { BaseAddress = address };

        // No token: 401 with a bare Bearer challenge (RFC 6750 §3: no error code when no credentials were sent).
        var anonymous = await client.GetAsync("/orders");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());

        // A token for this API with both scopes: read and write pass, and the claims keep their JWT names (MapInboundClaims off).
        var caller = await server.TokenAsync(WebGuideServer.Caller, WebGuideServer.CallerSecret);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, "/orders", caller)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, HttpMethod.Post, "/orders", caller)).StatusCode);
        var me = await SendAsync(client, HttpMethod.Get, "/me", caller);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var claims = JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(WebGuideServer.Caller, claims.GetProperty("sub").GetString());
        Assert.Equal(WebGuideServer.Caller, claims.GetProperty("client_id").GetString());
        Assert.Equal("orders.read orders.write", claims.GetProperty("scope").GetString());

        // orders.read only: the write route is a 403 insufficient_scope naming the scope it needs (RFC 6750 §3.1).
        var reader = await server.TokenAsync(WebGuideServer.Reader, WebGuideServer.ReaderSecret);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, "/orders", reader)).StatusCode);
        var forbidden = await SendAsync(client, HttpMethod.Post, "/orders", reader);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"orders.write\"", forbidden.Headers.WwwAuthenticate.ToString());

        // A valid token of the same server for another API: refused by ValidAudience (RFC 9068 §4, aud).
        var otherAudience = await server.TokenAsync(WebGuideServer.OtherCaller, WebGuideServer.OtherCallerSecret);
        var wrongAudience = await SendAsync(client, HttpMethod.Get, "/orders", otherAudience);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience.StatusCode);
        Assert.Contains("error=\"invalid_token\"", wrongAudience.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        // The caller's token with one character of its payload changed: the signature no longer verifies.
        var parts = caller.Split('.');
        var forged = $"{parts[0]}.{parts[1][..^2]}{(parts[1][^2] == 'A' ? 'B' : 'A')}{parts[1][^1]}.{parts[2]}";
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, HttpMethod.Get, "/orders", forged)).StatusCode);

        // The sample logged no token.
        foreach (var token in new[] { caller, reader, otherAudience })
        {
            Assert.DoesNotContain(token, api.Output, StringComparison.Ordinal);
        }
    }

    // RFC 9068 §4 and RFC 8725 §3.11: the JWT's type tells an access token (at+jwt) from an ID token (JWT). An API wrongly
    // configured with a client's id as its audience sees a signature, issuer and audience that all match that client's ID
    // token; only ValidTypes refuses it. Without that line in the sample this test fails.
    [Fact]
    public async Task An_id_token_is_refused_even_where_its_audience_issuer_and_signature_match()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var redirect = server.BffAddress + "/callback";
        using var authorized = await server.AuthorizeAsync(browser, Browser.AuthorizeUrl(WebGuideServer.Bff, redirect, "openid orders.read", pkce),
            GuideServer.OtherUsername, GuideServer.OtherPassword);
        var code = Browser.ResponseParameters(authorized)["code"];
        using var back = server.NewClient();
        var tokens = await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RedeemAsync(back, WebGuideServer.Bff, WebGuideServer.BffSecret, code, pkce.Verifier, redirect), codeFlow: true);
        var idToken = tokens.GetProperty("id_token").GetString()!;

        var address = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}");
        await using var api = await WebGuideServer.StartSampleAsync("JwtBearerApi", address,
            ["--Authority", server.Issuer, "--Audience", WebGuideServer.Bff], "/orders", HttpStatusCode.Unauthorized);
        using var client = new HttpClient { BaseAddress = address };

        var refused = await SendAsync(client, HttpMethod.Get, "/orders", idToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(WebGuideServer.Bff, BrowserFlowServer.JwtPayload(idToken).GetProperty("aud").GetString());
        Assert.DoesNotContain(idToken, api.Output, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string token) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } });
}

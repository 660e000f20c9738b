using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// CORS for browser-based clients (OAuth 2.1 §6.1; RFC 9700 §2.6): the token, UserInfo
/// and revocation endpoints allow the origins of registered redirect URIs, without credentials; any other
/// origin gets no Access-Control-Allow-Origin; the authorization endpoint never does.
/// </summary>
public sealed class BrowserCorsTests(SignInFixture server) : IClassFixture<SignInFixture>
{
    public static TheoryData<string> BrowserEndpoints => new() { "/connect/token", "/connect/userinfo", "/connect/revoke" };

    [Theory]
    [MemberData(nameof(BrowserEndpoints))]
    public async Task A_registered_origin_passes_the_preflight(string path)
    {
        using var response = await PreflightAsync(path, "https://cw.example");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://cw.example", Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Contains("Authorization", Header(response, "Access-Control-Allow-Headers"), StringComparison.Ordinal);
        Assert.Contains("DPoP", Header(response, "Access-Control-Allow-Headers"), StringComparison.Ordinal);
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
        Assert.Contains("Origin", response.Headers.Vary);
    }

    [Theory]
    [InlineData("https://evil.com")]
    [InlineData("https://cw.example.evil.com")]
    [InlineData("http://cw.example")]
    [InlineData("https://cw.example:8443")]
    [InlineData("null")]
    [InlineData("https://CW.example")]
    public async Task Any_other_origin_gets_no_permission(string origin)
    {
        foreach (var path in BrowserEndpoints)
        {
            using var preflight = await PreflightAsync(path, origin);
            Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));

            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([]) };
            request.Headers.Add("Origin", origin);
            using var response = await server.Client.SendAsync(request);
            Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        }
    }

    // A loopback registration (RFC 8252 §7.3) allows the loopback origin on any port.
    [Theory]
    [InlineData("http://127.0.0.1:49152")]
    [InlineData("http://127.0.0.1")]
    public async Task A_loopback_origin_of_a_native_client_passes_on_any_port(string origin)
    {
        using var response = await PreflightAsync("/connect/token", origin);

        Assert.Equal(origin, Header(response, "Access-Control-Allow-Origin"));
    }

    // The actual request: a public client's code redemption from its page carries the origin back.
    [Fact]
    public async Task The_token_response_to_a_registered_origin_allows_it()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(SignInClients.PN, SignInClients.PNRedirect, "openid", pkce);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["client_id"] = SignInClients.PN, ["code"] = code,
                ["code_verifier"] = pkce.Verifier, ["redirect_uri"] = SignInClients.PNRedirect,
            }),
        };
        request.Headers.Add("Origin", "http://127.0.0.1");
        using var response = await server.Client.SendAsync(request);

        await OAuthAssert.TokenSuccessAsync(response, codeFlow: true);
        Assert.Equal("http://127.0.0.1", Header(response, "Access-Control-Allow-Origin"));
    }

    // RFC 9700 §2.6: never at the authorization endpoint, not even for a registered origin.
    [Fact]
    public async Task The_authorization_endpoint_never_answers_cors()
    {
        using var preflight = await PreflightAsync("/connect/authorize", "https://cw.example");
        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));

        using var request = new HttpRequestMessage(HttpMethod.Get, Browser.AuthorizeUrl(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New()));
        request.Headers.Add("Origin", "https://cw.example");
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    private async Task<HttpResponseMessage> PreflightAsync(string path, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        return await server.Client.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(", ", contentValues) : null;
}

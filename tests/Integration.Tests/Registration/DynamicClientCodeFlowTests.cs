using System.Net;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Registration;

/// <summary>
/// A client registered the way the MCP TypeScript SDK registers completes the code flow with PKCE on a loopback redirect
/// URI with any port (RFC 8252 §7.3). A dynamic client is never first-party: its user sees the consent page, and a
/// consent given to one registration never carries over to another (a new registration of the same app asks again).
/// </summary>
public sealed class DynamicClientCodeFlowTests(OpenRegistrationFixture fixture) : IClassFixture<OpenRegistrationFixture>
{
    [Fact]
    public async Task A_dynamic_public_client_completes_the_code_flow_with_PKCE_and_always_sees_consent()
    {
        using var browser = fixture.NewBrowser();
        var clientId = string.Empty;

        // The native app listens on another ephemeral port this time: the port of a loopback redirect URI may differ.
        const string redirectUri = "http://127.0.0.1:51234/callback";
        for (var round = 0; round < 2; round++)
        {
            // The same app registering again is a new client: the consent given to the first does not cover it.
            var registered = await fixture.Client.RegisteredAsync(Registrations.McpClient(33418));
            clientId = registered.GetProperty("client_id").GetString()!;
            var pkce = PkcePair.New();
            var response = await browser.GetAsync(Browser.AuthorizeUrl(clientId, redirectUri, "mcp:tools", pkce));
            var html = await response.Content.ReadAsStringAsync();
            if (html.Contains("name=\"password\"", StringComparison.Ordinal))
            {
                response = await browser.FollowAsync(await browser.SignInAsync(html, SignInClients.AliceUsername, SignInClients.AlicePassword));
                html = await response.Content.ReadAsStringAsync();
            }

            Assert.True(response.StatusCode == HttpStatusCode.OK && html.Contains("name=\"decision\"", StringComparison.Ordinal),
                $"Round {round}: expected the consent page, got {(int)response.StatusCode}.");
            Assert.Contains("Unverified application", html, StringComparison.Ordinal);
            var answer = await browser.FollowAsync(await browser.ConsentAsync(html, allow: true));
            Assert.Equal(HttpStatusCode.SeeOther, answer.StatusCode);
            Assert.StartsWith(redirectUri, answer.Headers.Location!.OriginalString, StringComparison.Ordinal);
            var code = Browser.ResponseParameters(answer)["code"];

            using var tokens = await CodeFlowTokens.RedeemAsync(fixture.Client, clientId, secret: null, code, pkce.Verifier, redirectUri);
            var body = await OAuthAssert.TokenSuccessAsync(tokens, codeFlow: true);
            Assert.Equal(["mcp:tools"], OAuthAssert.ScopeSet(body));
        }

        // Without PKCE the dynamic client gets no code, exactly as every other client.
        var noPkce = Browser.AuthorizeUrl(clientId, redirectUri, "mcp:tools", PkcePair.New()).Replace("code_challenge=", "x_code_challenge=", StringComparison.Ordinal);
        var refused = await browser.GetAsync(noPkce);
        Assert.Equal("invalid_request", Browser.ResponseParameters(refused)["error"]);

        // A host other than the registered loopback literal is not the same redirect URI.
        var elsewhere = await browser.GetAsync(Browser.AuthorizeUrl(clientId, "http://localhost:51234/callback", "mcp:tools", PkcePair.New()));
        Assert.False(Browser.IsRedirect(elsewhere));
    }
}

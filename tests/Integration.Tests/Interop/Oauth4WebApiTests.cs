using AuthService.Integration.Tests.BrowserTests;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Interop;

/// <summary>
/// Interoperability with an off-the-shelf OpenID Connect client library, with no custom protocol code:
/// <c>flow.mjs</c> (in this folder) drives the npm package <c>oauth4webapi</c> (pinned in package.json and
/// package-lock.json; installed by scripts/test.sh with <c>npm ci</c>) under Node.js against the real server
/// process — discovery, PKCE S256, state and nonce, the authorization response check (RFC 9207 <c>iss</c>),
/// the code grant with ID token validation, UserInfo, refresh, introspection and revocation, all with
/// client_secret_basic. Only the user is scripted by hand (sign-in and consent pages over plain HTTP).
/// Then the npm package <c>jose</c> verifies the ID token and the access token against the JWKS.
/// </summary>
public sealed class Oauth4WebApiTests(BrowserFlowServer server, ITestOutputHelper output) : IClassFixture<BrowserFlowServer>
{
    [Fact]
    public async Task Oauth4webapi_completes_the_code_flow_with_userinfo_refresh_introspection_and_revocation()
    {
        var (summary, diagnostics) = await NodeScript.RunForSummaryAsync(server.Process, output,
            "flow.mjs", server.Issuer, BrowserFlowServer.ClientId, BrowserFlowServer.ClientSecret, server.Callback.RedirectUri,
            BrowserFlowServer.Username, BrowserFlowServer.Password);

        Assert.Equal(server.Issuer, summary.GetProperty("issuer").GetString());
        Assert.Equal(server.Issuer, summary.GetProperty("iss_in_response").GetString());
        var sub = summary.GetProperty("sub").GetString();
        Assert.False(string.IsNullOrEmpty(sub), diagnostics);
        Assert.Equal(sub, summary.GetProperty("userinfo_sub").GetString());
        Assert.True(summary.GetProperty("id_token_nonce_ok").GetBoolean(), diagnostics);
        Assert.Equal("alice@example.com", summary.GetProperty("email").GetString());
        Assert.Equal("Alice Example", summary.GetProperty("name").GetString());
        Assert.True(summary.GetProperty("refreshed").GetBoolean(), diagnostics);
        Assert.True(summary.GetProperty("introspection_active").GetBoolean(), diagnostics);
        Assert.Equal(BrowserFlowServer.ClientId, summary.GetProperty("introspection_client_id").GetString());
        Assert.True(summary.GetProperty("revoked").GetBoolean(), diagnostics);
        Assert.Contains("sign-in", summary.GetProperty("pages").EnumerateArray().Select(p => p.GetString()));

        // jose (npm) verifies both tokens against the JWKS as a resource server would, and refuses a changed one.
        Assert.Equal("RS256", summary.GetProperty("id_token_alg").GetString());
        Assert.Equal("ES256", summary.GetProperty("access_token_alg").GetString());
        Assert.True(summary.GetProperty("jose_id_token_verified").GetBoolean(), diagnostics);
        Assert.True(summary.GetProperty("jose_access_token_verified").GetBoolean(), diagnostics);
        Assert.True(summary.GetProperty("jose_refuses_tampered_token").GetBoolean(), diagnostics);
    }
}

using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Interop;

/// <summary>
/// <see cref="PrivateKeyJwtServer"/> plus two code-flow clients authenticating with private_key_jwt (the same ES256
/// key), both requiring pushed authorization requests and DPoP-bound access tokens: one plain, one held to the
/// <c>fapi2</c> profile (ES256 ID tokens, as that profile allows no RS256). And the user who signs in.
/// </summary>
public sealed class PrivateKeyJwtCodeFlowServer : PrivateKeyJwtServer
{
    public const string CodeFlowClientId = "OIDC-CLIENT-PAR-DPOP";
    public const string Fapi2ClientId = "OIDC-CLIENT-FAPI2";
    public const string Username = "carol";
    public const string Password = "carol-password-0123";

    /// <summary>On loopback (RFC 8252 §7.3); never contacted: the browser stand-in stops at the redirect to it.</summary>
    public const string RedirectUri = "http://127.0.0.1/openid-client/callback";

    protected override void AddToSeed(JsonObject seed)
    {
        var clients = seed["clients"]!.AsArray();
        clients.Add(CodeFlowClient(CodeFlowClientId, profile: null));
        clients.Add(CodeFlowClient(Fapi2ClientId, profile: "fapi2"));
        seed["users"] = new JsonArray(new JsonObject
        {
            ["username"] = Username,
            ["email"] = "carol@example.com",
            ["email_verified"] = true,
            ["name"] = "Carol Example",
            ["password"] = Password,
        });
    }

    private JsonObject CodeFlowClient(string clientId, string? profile)
    {
        var client = TestClients.Client(
            clientId, null, "private_key_jwt", ["authorization_code", "refresh_token"], "openid profile email offline_access", [RedirectUri]);
        client["jwks"] = PublicJwks();
        client["token_endpoint_auth_signing_alg"] = "ES256";
        client["dpop_bound_access_tokens"] = true;
        client["require_pushed_authorization_requests"] = true;
        if (profile is not null)
        {
            client["profile"] = profile;
            client["id_token_signed_response_alg"] = "ES256";
        }

        return client;
    }
}

/// <summary>
/// Issue 10's interop goal: the npm package <c>openid-client</c>, unmodified and through its public API only, runs the
/// code flow against the real server process with pushed authorization requests (RFC 9126), DPoP (RFC 9449) at PAR,
/// token, UserInfo and refresh, and private_key_jwt (OIDC Core §9, RFC 7523) client authentication; PKCE S256, state,
/// nonce, RFC 9207 <c>iss</c> and the ID token are checked by the library (<c>openid-client-code-flow.mjs</c>).
/// </summary>
public sealed class OpenIdClientCodeFlowTests(PrivateKeyJwtCodeFlowServer server, ITestOutputHelper output)
    : IClassFixture<PrivateKeyJwtCodeFlowServer>
{
    [Fact]
    public Task Openid_client_runs_the_code_flow_with_par_dpop_and_private_key_jwt() =>
        RunAsync(PrivateKeyJwtCodeFlowServer.CodeFlowClientId, "RS256");

    /// <summary>
    /// The same flow for a fapi2 client (ES256 ID token). Whether its refresh token is rotated is the server's
    /// choice (FAPI 2.0 clients may keep theirs), so only the refreshed access token and its binding are checked.
    /// </summary>
    [Fact]
    public Task Openid_client_runs_the_same_flow_for_a_fapi2_client() =>
        RunAsync(PrivateKeyJwtCodeFlowServer.Fapi2ClientId, "ES256");

    /// <summary>Runs the script for <paramref name="clientId"/> and asserts the outcome.</summary>
    private async Task RunAsync(string clientId, string idTokenAlg)
    {
        var (summary, diagnostics) = await NodeScript.RunForSummaryAsync(server.Process, output,
            "openid-client-code-flow.mjs", server.Issuer, clientId, server.PrivateJwk(), PrivateKeyJwtCodeFlowServer.RedirectUri,
            PrivateKeyJwtCodeFlowServer.Username, PrivateKeyJwtCodeFlowServer.Password, idTokenAlg);

        Assert.Equal(server.Issuer, summary.GetProperty("issuer").GetString());
        Assert.Equal(server.Issuer, summary.GetProperty("iss_in_response").GetString());
        Assert.Equal(idTokenAlg, summary.GetProperty("id_token_alg").GetString());
        Assert.Contains("sign-in", summary.GetProperty("pages").EnumerateArray().Select(p => p.GetString()));

        // Nothing but the reference travels through the browser (RFC 9126 §4).
        Assert.Equal(["client_id", "request_uri"], summary.GetProperty("front_channel_parameters").EnumerateArray().Select(p => p.GetString()));

        // RFC 9449 §5: a DPoP-bound access token, bound to the key openid-client made (§6.1 cnf.jkt, RFC 7638).
        var dpopJkt = summary.GetProperty("dpop_jkt").GetString();
        Assert.False(string.IsNullOrEmpty(dpopJkt), diagnostics);
        Assert.Equal("dpop", summary.GetProperty("token_type").GetString()!.ToLowerInvariant());
        Assert.Equal(dpopJkt, summary.GetProperty("cnf_jkt").GetString());
        Assert.True(summary.GetProperty("bearer_refused").GetBoolean(), diagnostics);

        var sub = summary.GetProperty("sub").GetString();
        Assert.False(string.IsNullOrEmpty(sub), diagnostics);
        Assert.Equal(sub, summary.GetProperty("userinfo_sub").GetString());
        Assert.Equal("carol@example.com", summary.GetProperty("userinfo_email").GetString());

        Assert.Equal("dpop", summary.GetProperty("refreshed_token_type").GetString()!.ToLowerInvariant());
        Assert.Equal(dpopJkt, summary.GetProperty("refreshed_cnf_jkt").GetString());
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.Interop;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.McpEndToEnd;

/// <summary>
/// Issue 11's end-to-end goal: the official MCP TypeScript SDK (<c>@modelcontextprotocol/sdk</c>, unmodified) as an
/// MCP client meets the sample MCP server (samples/McpServer, the same SDK) protected by AuthService, discovers
/// AuthService through the server's RFC 9728 protected resource metadata, gets a client_id (pre-registered, RFC 7591
/// dynamic registration, or a Client ID Metadata Document), signs the user in through Chromium, and calls a tool with
/// an access token whose audience is the MCP server (RFC 8707). The script is <c>Interop/mcp-client.mjs</c>.
/// And the MCP server refuses what AuthService issued for anything else. (The namespace is not <c>...Tests.Mcp</c>: that
/// would hide the <c>Mcp</c> members of other test classes under <c>AuthService.Integration.Tests</c>.)
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class McpEndToEndTests(McpServerFixture server, ITestOutputHelper output) : IClassFixture<McpServerFixture>
{
    [Fact]
    public async Task The_sdk_discovers_AuthService_through_the_resource_metadata_and_calls_a_tool_as_a_preregistered_client()
    {
        var (summary, diagnostics) = await RunClientAsync("preregistered", server.PublicClientCallbackPort, "--client-id", McpServerFixture.PublicClientId);

        await AssertToolCalledAsync(summary, diagnostics, McpServerFixture.PublicClientId);
        Assert.Empty(summary.GetProperty("registration_requests").EnumerateArray());
    }

    // RFC 7591 §3: the SDK finds registration_endpoint in AuthService's metadata and registers itself as a public client.
    [Fact]
    public async Task The_sdk_registers_itself_dynamically_signs_in_and_calls_a_tool()
    {
        var (summary, diagnostics) = await RunClientAsync("dynamic", ServerProcess.FreePort());

        var registration = Assert.Single(summary.GetProperty("registration_requests").EnumerateArray());
        Assert.True(registration.GetProperty("status").GetInt32() == 201, diagnostics);
        var clientId = Assert.Single(summary.GetProperty("saved_client_ids").EnumerateArray()).GetString()!;
        Assert.NotEqual(McpServerFixture.PublicClientId, clientId);
        await AssertToolCalledAsync(summary, diagnostics, clientId);

        // Not in the seed: the admin API shows a dynamically registered public client, and the audit log has its
        // creation by itself (the actor is the client, not an administrator).
        var (status, client) = await server.AdminGetAsync($"/admin/clients/{Uri.EscapeDataString(clientId)}");
        Assert.True(status == HttpStatusCode.OK, $"admin API: {status} {client}\n{diagnostics}");
        Assert.Equal("dynamic", client.GetProperty("registration_source").GetString());
        Assert.Equal("none", client.GetProperty("token_endpoint_auth_method").GetString());
        var (auditStatus, audit) = await server.AdminGetAsync($"/admin/audit-events?client_id={Uri.EscapeDataString(clientId)}&event_type=client.created");
        Assert.True(auditStatus == HttpStatusCode.OK, $"audit: {auditStatus} {audit}");
        var created = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal("client", created.GetProperty("actor_type").GetString());
        Assert.Equal(clientId, created.GetProperty("actor_id").GetString());
        Assert.Equal("dynamic", created.GetProperty("details").GetProperty("registration_source").GetString());
    }

    // draft-ietf-oauth-client-id-metadata-document: the client_id is the https URL of the client's metadata document,
    // which AuthService fetches (from loopback, trusting the test CA); the consent page names the redirect host and
    // warns that it is on this computer only (MCP authorization 2025-11-25, client ID metadata documents).
    [Fact]
    public async Task The_sdk_uses_a_client_id_metadata_document_and_the_consent_page_warns_of_a_localhost_redirect()
    {
        var documentPort = ServerProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        var (summary, diagnostics) = await RunClientAsync("cimd", ServerProcess.FreePort(),
            "--document-port", documentPort, "--cert", server.LeafCertificateFile, "--key", server.LeafKeyFile);

        var documentUrl = $"https://127.0.0.1:{documentPort}/client.json";
        Assert.Empty(summary.GetProperty("registration_requests").EnumerateArray());
        Assert.True(summary.GetProperty("document_fetches").GetInt32() >= 1, diagnostics);
        await AssertToolCalledAsync(summary, diagnostics, documentUrl);

        var consent = summary.GetProperty("consent_text").GetString() ?? "";
        Assert.True(consent.Contains("127.0.0.1", StringComparison.Ordinal), $"The consent page does not show the redirect host:\n{consent}");
        Assert.True(consent.Contains("localhost", StringComparison.OrdinalIgnoreCase) || consent.Contains("this computer", StringComparison.OrdinalIgnoreCase)
            || consent.Contains("this device", StringComparison.OrdinalIgnoreCase), $"The consent page has no localhost warning:\n{consent}");
    }

    // RFC 8707 §1 / RFC 9068 §4 item 4: a token AuthService issued for another MCP server (same scope, other `aud`)
    // is refused here: no replay of one server's token at another.
    [Fact]
    public async Task The_mcp_server_refuses_a_token_issued_for_another_resource()
    {
        var token = await server.ClientCredentialsTokenAsync(
            McpServerFixture.ServiceClientId, McpServerFixture.ServiceClientSecret, McpServerFixture.Scope, resource: server.OtherMcpUrl);
        Assert.Equal(server.OtherMcpUrl, Jose.Payload(token)["aud"]!.GetValue<string>());

        await AssertRefusedAsInvalidTokenAsync(token);
    }

    // The same without `resource`: the token has mcp:tools but its audience is the issuer (the client's default).
    [Fact]
    public async Task The_mcp_server_refuses_a_token_issued_without_a_resource()
    {
        var token = await server.ClientCredentialsTokenAsync(McpServerFixture.ServiceClientId, McpServerFixture.ServiceClientSecret, McpServerFixture.Scope);
        Assert.Equal(server.Issuer, Jose.Payload(token)["aud"]!.GetValue<string>());

        await AssertRefusedAsInvalidTokenAsync(token);
    }

    private async Task AssertRefusedAsInvalidTokenAsync(string token)
    {
        using var response = await PostToolsListAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        Assert.Contains("not issued for this resource", challenge, StringComparison.Ordinal);
        Assert.Contains($"resource_metadata=\"{ResourceMetadataUrl}\"", challenge, StringComparison.Ordinal);
    }

    // RFC 6750 §3.1: a token for the MCP server without the tool's scope is insufficient_scope (403), naming the scope.
    [Fact]
    public async Task The_mcp_server_refuses_a_token_for_it_without_the_tool_scope()
    {
        var token = await server.ClientCredentialsTokenAsync(McpServerFixture.NarrowClientId, McpServerFixture.NarrowClientSecret, "reports.read");

        using var response = await PostToolsListAsync(token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"mcp:tools\"", challenge, StringComparison.Ordinal);
    }

    // RFC 9728 §5.1 and §3.2; RFC 6750 §3.1 (no error code when the request carried no credentials).
    [Fact]
    public async Task Without_a_token_the_mcp_server_points_to_metadata_that_names_AuthService()
    {
        using var response = await PostToolsListAsync(token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Equal($"Bearer resource_metadata=\"{ResourceMetadataUrl}\", scope=\"mcp:tools\"", challenge);

        using var http = new HttpClient();
        var metadata = JsonDocument.Parse(await http.GetStringAsync(new Uri(ResourceMetadataUrl))).RootElement;
        Assert.Equal(server.McpUrl, metadata.GetProperty("resource").GetString());
        Assert.Equal([server.Issuer], metadata.GetProperty("authorization_servers").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["mcp:tools"], metadata.GetProperty("scopes_supported").EnumerateArray().Select(s => s.GetString()));
    }

    private string ResourceMetadataUrl => server.McpUrl.Replace("/mcp", "/.well-known/oauth-protected-resource/mcp", StringComparison.Ordinal);

    private Task<(JsonElement Summary, string Diagnostics)> RunClientAsync(string mode, int callbackPort, params string[] extra) =>
        NodeScript.RunForSummaryAsync(server.AuthServer, output,
        [
            "mcp-client.mjs", "--mcp", server.McpUrl, "--username", McpServerFixture.Username, "--password", McpServerFixture.Password,
            "--callback-port", callbackPort.ToString(CultureInfo.InvariantCulture), "--mode", mode, .. extra,
        ]);

    /// <summary>
    /// What every variant proves: discovery started from the 401 and went through the protected resource metadata to
    /// AuthService's metadata; the authorization and token requests named the MCP server as `resource` with PKCE S256;
    /// the user signed in and consented; the access token is for the MCP server only; whoami ran as the seeded user.
    /// </summary>
    private async Task AssertToolCalledAsync(JsonElement summary, string diagnostics, string clientId)
    {
        var mcpOrigin = new Uri(server.McpUrl).GetLeftPart(UriPartial.Authority);
        var requests = summary.GetProperty("requests").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.True(requests[0] == $"POST {server.McpUrl} -> 401", diagnostics);
        Assert.True(requests.IndexOf($"GET {mcpOrigin}/.well-known/oauth-protected-resource/mcp -> 200") is > 0 and var prm
            && requests.IndexOf($"GET {server.Issuer}/.well-known/oauth-authorization-server -> 200") > prm, diagnostics);

        var authorization = summary.GetProperty("authorization_request");
        Assert.Equal(clientId, authorization.GetProperty("client_id").GetString());
        Assert.Equal([server.McpUrl], authorization.GetProperty("resource").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("S256", authorization.GetProperty("code_challenge_method").GetString());
        Assert.Equal(McpServerFixture.Scope, authorization.GetProperty("scope").GetString());
        Assert.Equal(server.Issuer, summary.GetProperty("callback_iss").GetString()); // RFC 9207
        Assert.Equal(["sign-in", "consent"], summary.GetProperty("pages").EnumerateArray().Select(p => p.GetString()));

        var tokenRequest = Assert.Single(summary.GetProperty("token_requests").EnumerateArray());
        Assert.Equal("authorization_code", tokenRequest.GetProperty("grant_type").GetString());
        Assert.Equal([server.McpUrl], tokenRequest.GetProperty("resource").EnumerateArray().Select(r => r.GetString()));

        var claims = summary.GetProperty("token_claims");
        Assert.Equal(server.Issuer, claims.GetProperty("iss").GetString());
        Assert.True(claims.GetProperty("aud").ValueKind == JsonValueKind.String && claims.GetProperty("aud").GetString() == server.McpUrl, diagnostics);
        Assert.Equal(clientId, claims.GetProperty("client_id").GetString());
        Assert.Contains(McpServerFixture.Scope, claims.GetProperty("scope").GetString()!.Split(' '));

        Assert.Contains("whoami", summary.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
        var whoami = summary.GetProperty("whoami");
        Assert.Equal(await UserIdAsync(McpServerFixture.Username), whoami.GetProperty("sub").GetString());
        Assert.Equal(clientId, whoami.GetProperty("client_id").GetString());
        Assert.Equal(server.McpUrl, whoami.GetProperty("resource").GetString());
    }

    private async Task<string> UserIdAsync(string username)
    {
        var (status, users) = await server.AdminGetAsync($"/admin/users?q={Uri.EscapeDataString(username)}");
        Assert.Equal(HttpStatusCode.OK, status);
        return users.GetProperty("items").EnumerateArray().Single(u => u.GetProperty("username").GetString() == username).GetProperty("id").GetString()!;
    }

    /// <summary>A JSON-RPC tools/list straight to the MCP endpoint, with <paramref name="token"/> as the bearer token.</summary>
    private async Task<HttpResponseMessage> PostToolsListAsync(string? token)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, server.McpUrl)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        return await http.SendAsync(request);
    }
}

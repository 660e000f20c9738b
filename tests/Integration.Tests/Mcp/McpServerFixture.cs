using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.Interop;

namespace AuthService.Integration.Tests.McpEndToEnd;

/// <summary>
/// AuthService as its own process on PostgreSQL (<see cref="LoopbackServer"/>), and the sample MCP server
/// (samples/McpServer, the official MCP TypeScript SDK) as a second process protected by it. The seed has a user, the
/// MCP server as a registered resource (and a second MCP server as another one), a pre-registered public client, two
/// client_credentials clients for the attacks, and the admin client. AuthService runs with open dynamic registration and Client ID Metadata Documents
/// fetched from loopback over https with the test CA made here (<see cref="CaFile"/>), scopes allowed to both
/// <c>openid offline_access mcp:tools</c>.
/// </summary>
public sealed class McpServerFixture : IAsyncLifetime
{
    public const string Username = "mia";
    public const string Password = "mia-password-0123";
    public const string PublicClientId = "mcp-desktop";
    public const string Scope = "mcp:tools";

    /// <summary>client_credentials, allowed <c>mcp:tools</c>, no audience: its tokens without <c>resource</c> are for the issuer.</summary>
    public const string ServiceClientId = "mcp-batch";
    public const string ServiceClientSecret = "mcp-batch-secret-0123456789";

    /// <summary>client_credentials with the MCP server as its default audience, but without <c>mcp:tools</c>.</summary>
    public const string NarrowClientId = "mcp-narrow";
    public const string NarrowClientSecret = "mcp-narrow-secret-0123456789";

    public const string AdminClientId = "mcp-admin";
    public const string AdminClientSecret = "mcp-admin-secret-0123456789";

    public const string AllowedScopes = "openid offline_access mcp:tools";

    private readonly string _directory = Directory.CreateTempSubdirectory("authservice-mcp-").FullName;
    private TestDatabase? _database;

    public ServerProcess AuthServer { get; private set; } = null!;

    public ServerProcess McpServer { get; private set; } = null!;

    /// <summary><c>http://127.0.0.1:PORT</c>: AuthService's address and issuer.</summary>
    public string Issuer { get; private set; } = null!;

    /// <summary><c>http://127.0.0.1:PORT/mcp</c>: the MCP endpoint and its RFC 8707 resource identifier.</summary>
    public string McpUrl { get; private set; } = null!;

    /// <summary>Another registered resource with the same scope (an MCP server that is not started): tokens for it must not work here.</summary>
    public string OtherMcpUrl { get; } = $"http://127.0.0.1:{ServerProcess.FreePort()}/mcp";

    /// <summary>The loopback port of the pre-registered client's redirect URI <c>http://127.0.0.1:PORT/callback</c>.</summary>
    public int PublicClientCallbackPort { get; } = ServerProcess.FreePort();

    /// <summary>The test CA's certificate (PEM), given to AuthService as <c>Auth:OutboundFetch:TrustedCertificatesFile</c>.</summary>
    public string CaFile => Path.Combine(_directory, "ca.pem");

    /// <summary>A certificate for 127.0.0.1 and localhost issued by the test CA, and its private key (PEM).</summary>
    public string LeafCertificateFile => Path.Combine(_directory, "leaf.pem");

    public string LeafKeyFile => Path.Combine(_directory, "leaf-key.pem");

    public async Task InitializeAsync()
    {
        WriteTestCertificates();
        var mcpPort = ServerProcess.FreePort();
        McpUrl = $"http://127.0.0.1:{mcpPort}/mcp";
        _database = await TestDatabase.CreateAsync();
        var seedFile = Path.Combine(_directory, "seed.json");
        await File.WriteAllTextAsync(seedFile, Seed().ToJsonString());
        (AuthServer, Issuer) = await LoopbackServer.StartAsync(_database.ConnectionString, seedFile, _directory, new Dictionary<string, string>
        {
            ["Auth__Registration__Policy"] = "open",
            ["Auth__Registration__AllowedScopes"] = AllowedScopes,
            ["Auth__OutboundFetch__AllowLoopback"] = "true",
            ["Auth__OutboundFetch__TrustedCertificatesFile"] = CaFile,
            ["Auth__ClientIdMetadataDocuments__AllowedScopes"] = AllowedScopes,
        });

        McpServer = ServerProcess.StartProgram("node", NodeScript.McpServerDirectory,
            ["server.mjs", "--issuer", Issuer, "--port", mcpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], new Dictionary<string, string>());
        await McpServer.WaitUntilReadyAsync(new Uri(McpUrl), TimeSpan.FromSeconds(30), probe: "/.well-known/oauth-protected-resource/mcp");
    }

    /// <summary>A fresh access token of a client_credentials client, for <paramref name="resource"/> (RFC 8707) or, without it, the client's default audience.</summary>
    public async Task<string> ClientCredentialsTokenAsync(string clientId, string secret, string scope, string? resource = null)
    {
        using var http = new HttpClient();
        List<KeyValuePair<string, string>> form =
            [new("grant_type", "client_credentials"), new("scope", scope), new("client_id", clientId), new("client_secret", secret)];
        if (resource is not null)
        {
            form.Add(new("resource", resource));
        }

        using var response = await http.PostAsync(new Uri($"{Issuer}/connect/token"), new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"token endpoint answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>GET <paramref name="path"/> on the admin API with a fresh admin token; the status and JSON body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> AdminGetAsync(string path)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ClientCredentialsTokenAsync(AdminClientId, AdminClientSecret, "admin"));
        using var response = await http.GetAsync(new Uri($"{Issuer}{path}"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task DisposeAsync()
    {
        if (McpServer is not null)
        {
            await McpServer.DisposeAsync();
        }

        await LoopbackServer.StopAsync(AuthServer, _database, _directory);
    }

    private JsonObject Seed()
    {
        var publicClient = TestClients.Client(PublicClientId, null, "none", ["authorization_code", "refresh_token"], AllowedScopes,
            redirectUris: [$"http://127.0.0.1:{PublicClientCallbackPort}/callback"], audience: McpUrl);
        publicClient["client_name"] = "MCP desktop app";
        return new JsonObject
        {
            ["clients"] = new JsonArray(
                publicClient,
                TestClients.Client(ServiceClientId, ServiceClientSecret, "client_secret_post", ["client_credentials"], Scope),
                TestClients.Client(NarrowClientId, NarrowClientSecret, "client_secret_post", ["client_credentials"], "reports.read", audience: McpUrl),
                TestClients.Client(AdminClientId, AdminClientSecret, "client_secret_post", ["client_credentials"], "admin")),
            ["resources"] = new JsonArray(
                new JsonObject { ["resource"] = McpUrl, ["name"] = "MCP demo", ["scopes"] = new JsonArray(Scope) },
                new JsonObject { ["resource"] = OtherMcpUrl, ["name"] = "Another MCP server", ["scopes"] = new JsonArray(Scope) }),
            ["users"] = new JsonArray(new JsonObject
            {
                ["username"] = Username,
                ["email"] = "mia@example.com",
                ["email_verified"] = true,
                ["name"] = "Mia Example",
                ["password"] = Password,
            }),
        };
    }

    /// <summary>A test CA and a server certificate it issues for 127.0.0.1 and localhost, written as PEM files.</summary>
    private void WriteTestCertificates()
    {
        using var tls = LoopbackTls.Create("AuthService MCP Test CA", TimeSpan.FromDays(7));
        tls.WriteCaPem(CaFile);
        tls.WriteLeafPem(LeafCertificateFile, LeafKeyFile);
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AuthService.Integration.Tests.ClientIdMetadata;

/// <summary>
/// A test certificate authority made here, and an https Kestrel on 127.0.0.1 with a certificate it issued (for
/// 127.0.0.1 and localhost) serving client ID metadata documents that the tests set; each path counts its fetches.
/// </summary>
public sealed class DocumentServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (string Body, string? CacheControl)> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _fetches = new(StringComparer.Ordinal);
    private readonly WebApplication _app;

    private DocumentServer(WebApplication app, string caFile, X509Certificate2 ca, X509Certificate2 leaf)
    {
        _app = app;
        CaFile = caFile;
        Ca = ca;
        Leaf = leaf;
    }

    /// <summary>The PEM file of the test CA, for <c>Auth:OutboundFetch:TrustedCertificatesFile</c>.</summary>
    public string CaFile { get; }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Leaf { get; }

    public int Port { get; private set; }

    /// <summary>https://127.0.0.1:port</summary>
    public string Origin => $"https://127.0.0.1:{Port}";

    public static async Task<DocumentServer> StartAsync(string directory)
    {
        var tls = LoopbackTls.Create("AuthService test CA", TimeSpan.FromDays(30));
        var leaf = tls.Leaf;
        var caFile = Path.Combine(directory, "test-ca.pem");
        tls.WriteCaPem(caFile);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(leaf)));
        var app = builder.Build();
        var server = new DocumentServer(app, caFile, tls.Ca, leaf);
        app.MapGet("/clients/{name}", (string name, HttpContext http) => server.Serve(name, http));
        app.MapGet("/redirect/{name}", (string name) => Results.Redirect("/clients/" + name));
        await app.StartAsync();
        server.Port = new Uri(app.Urls.Single().Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port;
        return server;
    }

    /// <summary>The URL of document <paramref name="name"/> (as a client_id).</summary>
    public string Url(string name) => $"{Origin}/clients/{name}";

    public void Set(string name, JsonObject document, string? cacheControl = "max-age=3600") => SetRaw(name, document.ToJsonString(), cacheControl);

    public void SetRaw(string name, string body, string? cacheControl = "max-age=3600") => _documents[name] = (body, cacheControl);

    public int Fetches(string name) => _fetches.GetValueOrDefault(name);

    /// <summary>A public client's document: auth method none, the given redirect URIs, code and refresh grants.</summary>
    public JsonObject PublicClient(string name, params string[] redirectUris) => new()
    {
        ["client_id"] = Url(name),
        ["client_name"] = "Tool " + name,
        ["redirect_uris"] = new JsonArray([.. redirectUris.Select(u => (JsonNode)u)]),
        ["grant_types"] = new JsonArray("authorization_code", "refresh_token"),
        ["response_types"] = new JsonArray("code"),
        ["token_endpoint_auth_method"] = "none",
        ["client_uri"] = "https://tool.example",
    };

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Leaf.Dispose();
        Ca.Dispose();
    }

    private IResult Serve(string name, HttpContext http)
    {
        _fetches.AddOrUpdate(name, 1, (_, n) => n + 1);
        if (!_documents.TryGetValue(name, out var document))
        {
            return Results.NotFound();
        }

        if (document.CacheControl is not null)
        {
            http.Response.Headers.CacheControl = document.CacheControl;
        }

        return Results.Text(document.Body, "application/json");
    }
}

/// <summary>
/// The sign-in fixture with client ID metadata documents served by a <see cref="DocumentServer"/> whose CA the
/// server trusts (<c>Auth:OutboundFetch:TrustedCertificatesFile</c>), loopback allowed, <c>denied.example</c> denied.
/// </summary>
public class MetadataDocumentFixture : SignInFixture, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cimd-").FullName;

    public DocumentServer Documents { get; private set; } = null!;

    /// <summary><c>Auth:ClientIdMetadataDocuments:Enabled</c>.</summary>
    protected virtual bool Enabled => true;

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Auth:ClientIdMetadataDocuments:Enabled"] = Enabled ? "true" : "false",
        ["Auth:OutboundFetch:AllowLoopback"] = "true",
        ["Auth:OutboundFetch:TrustedCertificatesFile"] = Documents.CaFile,
        ["Auth:ClientIdMetadataDocuments:DeniedHosts"] = "denied.example",
        ["Auth:ClientIdMetadataDocuments:AllowedScopes"] = "openid offline_access mcp:tools",
    };

    /// <remarks>The server is started once per test class, so the fixture is disposed once too.</remarks>
    async Task IAsyncLifetime.InitializeAsync()
    {
        Documents = await DocumentServer.StartAsync(_directory);
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Documents.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The audit rows of <paramref name="eventType"/> for <paramref name="clientId"/>: their details JSON.</summary>
    public async Task<List<string>> AuditDetailsAsync(string eventType, string clientId) =>
        [.. (await Database.QueryAsync("SELECT coalesce(details, '') FROM audit_entries WHERE event_type = @e AND client_id = @c ORDER BY id",
            ("e", eventType), ("c", clientId))).Select(row => (string)row[0])];
}

/// <summary>The same, with <c>Auth:ClientIdMetadataDocuments:Enabled=false</c>.</summary>
public sealed class DisabledMetadataDocumentFixture : MetadataDocumentFixture
{
    protected override bool Enabled => false;
}

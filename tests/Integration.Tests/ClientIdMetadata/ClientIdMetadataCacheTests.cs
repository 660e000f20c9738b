using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.ClientIdMetadata;

/// <summary>A server on a clock the tests move, trusting a <see cref="DocumentServer"/>, with cache bounds of 60 s and 1000 s.</summary>
public sealed class ClockedDocumentFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cimd-clock-").FullName;
    private TestDatabase _database = null!;

    public TestDatabase Database => _database;

    public ClockedServer Server { get; private set; } = null!;

    public DocumentServer Documents { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Documents = await DocumentServer.StartAsync(_directory);
        _database = await TestDatabase.CreateAsync();
        Server = await ClockedServer.StartAsync(_database, new Dictionary<string, string?>
        {
            ["Auth:OutboundFetch:AllowLoopback"] = "true",
            ["Auth:OutboundFetch:TrustedCertificatesFile"] = Documents.CaFile,
            ["Auth:ClientIdMetadataDocuments:MinCacheSeconds"] = "60",
            ["Auth:ClientIdMetadataDocuments:MaxCacheSeconds"] = "1000",
        });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _database.DisposeAsync();
        await Documents.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>
/// A document is kept per its cache headers (RFC 9111 §4.2.1) within <c>Auth:ClientIdMetadataDocuments:MinCacheSeconds</c>
/// and <c>MaxCacheSeconds</c>, on the server's clock: no test waits.
/// </summary>
public sealed class ClientIdMetadataCacheTests(ClockedDocumentFixture fixture) : IClassFixture<ClockedDocumentFixture>
{
    private const string Callback = "http://127.0.0.1/callback";

    [Theory]
    [InlineData("max-age=600", 600)]
    [InlineData("no-store", 60)]            // clamped up to MinCacheSeconds
    [InlineData(null, 60)]                   // no cache headers: the minimum
    [InlineData("max-age=999999", 1000)]     // clamped down to MaxCacheSeconds
    [InlineData("no-cache, max-age=600", 60)]
    public async Task A_document_is_kept_for_its_cache_time_within_the_bounds(string? cacheControl, int keptSeconds)
    {
        var name = "cache-" + Guid.NewGuid().ToString("N")[..8];
        fixture.Documents.Set(name, fixture.Documents.PublicClient(name, Callback), cacheControl);

        await AuthorizeAsync(name);
        Assert.Equal(1, fixture.Documents.Fetches(name));

        fixture.Server.Clock.Advance(TimeSpan.FromSeconds(keptSeconds - 1));
        await AuthorizeAsync(name);
        Assert.Equal(1, fixture.Documents.Fetches(name));

        fixture.Server.Clock.Advance(TimeSpan.FromSeconds(2));
        await AuthorizeAsync(name);
        Assert.Equal(2, fixture.Documents.Fetches(name));
    }

    [Fact]
    public async Task A_refused_document_is_not_fetched_again_within_the_minimum()
    {
        var name = "refused-" + Guid.NewGuid().ToString("N")[..8];
        var document = fixture.Documents.PublicClient(name, Callback);
        document["client_id"] = "https://elsewhere.example/client.json";
        fixture.Documents.Set(name, document, "max-age=600");

        for (var i = 0; i < 3; i++)
        {
            using var response = await fixture.Server.Client.GetAsync(Browser.AuthorizeUrl(fixture.Documents.Url(name), Callback, "openid", PkcePair.New()));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Equal(1, fixture.Documents.Fetches(name));

        // Fixed by its publisher: used once the refusal has expired.
        fixture.Documents.Set(name, fixture.Documents.PublicClient(name, Callback));
        fixture.Server.Clock.Advance(TimeSpan.FromSeconds(61));
        await AuthorizeAsync(name);
        Assert.Equal(2, fixture.Documents.Fetches(name));
    }

    [Fact]
    public async Task A_changed_document_takes_effect_at_the_refresh_which_is_audited()
    {
        var name = "changing-" + Guid.NewGuid().ToString("N")[..8];
        fixture.Documents.Set(name, fixture.Documents.PublicClient(name, "https://tool.example/old"), "max-age=300");
        await AuthorizeAsync(name, "https://tool.example/old");
        fixture.Documents.Set(name, fixture.Documents.PublicClient(name, "https://tool.example/new"), "max-age=300");
        await AuthorizeAsync(name, "https://tool.example/old");

        fixture.Server.Clock.Advance(TimeSpan.FromSeconds(301));
        await AuthorizeAsync(name, "https://tool.example/new");
        using var old = await fixture.Server.Client.GetAsync(Browser.AuthorizeUrl(fixture.Documents.Url(name), "https://tool.example/old", "openid", PkcePair.New()));
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);

        var audited = await fixture.Database.QueryAsync(
            "SELECT details FROM audit_entries WHERE event_type = 'client.metadata_document_resolved' AND client_id = @c ORDER BY id",
            ("c", fixture.Documents.Url(name)));
        Assert.Equal(["{\"refresh\":\"false\",\"cached_seconds\":\"300\"}", "{\"refresh\":\"true\",\"cached_seconds\":\"300\"}"],
            audited.Select(row => (string)row[0]));
    }

    private async Task AuthorizeAsync(string name, string redirectUri = Callback)
    {
        using var response = await fixture.Server.Client.GetAsync(Browser.AuthorizeUrl(fixture.Documents.Url(name), redirectUri, "openid", PkcePair.New()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the sign-in page: the client and its redirect URI were accepted
    }
}

using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using AuthService.Infrastructure.Security.Outbound;

namespace AuthService.Integration.Tests.ClientIdMetadata;

/// <summary>A document server alone (no authorization server), for the fetcher's own rules.</summary>
public sealed class DocumentServerFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fetcher-").FullName;

    public DocumentServer Documents { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Documents = await DocumentServer.StartAsync(_directory);
        Documents.Set("doc", new JsonObject { ["client_id"] = "x" }, cacheControl: "max-age=120");
        Documents.Set("nostore", new JsonObject { ["client_id"] = "x" }, cacheControl: "no-store");
        Documents.Set("plain", new JsonObject { ["client_id"] = "x" }, cacheControl: null);
    }

    public async Task DisposeAsync()
    {
        await Documents.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>
/// The one outbound fetcher (jwks_uri and client ID metadata documents): loopback only when allowed, extra trust
/// anchors from a PEM file (checked at start), no redirects, a size limit per call, and the freshness its response allows (RFC 9111 §4.2.1).
/// </summary>
public sealed class HardenedFetcherTests(DocumentServerFixture fixture) : IClassFixture<DocumentServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private DocumentServer Documents => fixture.Documents;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_loopback_document_is_fetched_when_loopback_is_allowed_and_the_ca_is_trusted(string host)
    {
        using var fetcher = Fetcher(allowLoopback: true);
        var response = await fetcher.GetAsync(new Uri($"https://{host}:{Documents.Port}/clients/doc"), "application/json", 5120, Timeout, default);
        Assert.Null(response.Failure);
        Assert.Equal("x", JsonNode.Parse(response.Body!)!["client_id"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(120), response.FreshFor);
    }

    [Fact]
    public async Task Loopback_is_refused_unless_allowed()
    {
        using var fetcher = Fetcher(allowLoopback: false);
        var response = await fetcher.GetAsync(new Uri(Documents.Url("doc")), "application/json", 5120, Timeout, default);
        Assert.Null(response.Body);
        Assert.Contains("does not connect to", response.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_from_an_untrusted_ca_is_refused()
    {
        using var fetcher = new HardenedFetcher(allowLoopback: true, []);
        var response = await fetcher.GetAsync(new Uri(Documents.Url("doc")), "application/json", 5120, Timeout, default);
        Assert.Null(response.Body);
        Assert.NotNull(response.Failure);
    }

    [Fact]
    public async Task A_trusted_ca_does_not_excuse_a_name_mismatch()
    {
        using var fetcher = Fetcher(allowLoopback: true);
        var response = await fetcher.GetAsync(new Uri($"https://127.0.0.2:{Documents.Port}/clients/doc"), "application/json", 5120, Timeout, default);
        Assert.Null(response.Body);
    }

    [Fact]
    public async Task A_redirect_is_a_failure_and_is_not_followed()
    {
        using var fetcher = Fetcher(allowLoopback: true);
        var before = Documents.Fetches("doc");
        var response = await fetcher.GetAsync(new Uri($"{Documents.Origin}/redirect/doc"), "application/json", 5120, Timeout, default);
        Assert.Equal("the URL answered 302", response.Failure);
        Assert.Equal(before, Documents.Fetches("doc"));
    }

    [Fact]
    public async Task A_response_over_the_size_limit_is_refused()
    {
        using var fetcher = Fetcher(allowLoopback: true);
        var response = await fetcher.GetAsync(new Uri(Documents.Url("doc")), "application/json", 5, Timeout, default);
        Assert.Null(response.Body);
        Assert.Equal("the response is larger than 5 bytes", response.Failure);
    }

    [Theory]
    [InlineData("http://127.0.0.1/clients/doc", false)]
    [InlineData("ftp://example.com/doc", true)]
    [InlineData("http://example.com/doc", true)]
    public async Task Only_https_or_allowed_loopback_http_is_tried(string url, bool allowLoopback)
    {
        using var fetcher = Fetcher(allowLoopback);
        var response = await fetcher.GetAsync(new Uri(url), "application/json", 5120, Timeout, default);
        Assert.Equal("the URL is not https (or http to an allowed loopback address)", response.Failure);
    }

    [Theory]
    [InlineData("nostore", 0)]
    [InlineData("plain", null)]
    public async Task Freshness_follows_the_cache_headers(string name, int? seconds)
    {
        using var fetcher = Fetcher(allowLoopback: true);
        var response = await fetcher.GetAsync(new Uri(Documents.Url(name)), "application/json", 5120, Timeout, default);
        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), response.FreshFor);
    }

    [Fact]
    public void Only_a_pem_file_of_certificates_is_a_usable_trust_anchors_file()
    {
        var notPem = Path.Combine(Path.GetDirectoryName(Documents.CaFile)!, "not-a-certificate.pem");
        File.WriteAllText(notPem, "hello");
        Assert.True(HardenedFetcher.IsUsableTrustAnchorsFile(Documents.CaFile));
        Assert.True(HardenedFetcher.IsUsableTrustAnchorsFile(null));
        Assert.False(HardenedFetcher.IsUsableTrustAnchorsFile(notPem));
        Assert.False(HardenedFetcher.IsUsableTrustAnchorsFile(Path.Combine(Path.GetDirectoryName(Documents.CaFile)!, "missing.pem")));
    }

    private HardenedFetcher Fetcher(bool allowLoopback) => new(allowLoopback, HardenedFetcher.LoadTrustAnchors(Documents.CaFile));
}

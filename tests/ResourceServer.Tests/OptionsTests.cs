using AuthService.ResourceServer.Tests.Infrastructure;

namespace AuthService.ResourceServer.Tests;

/// <summary>A misconfigured API does not start: each rule of the options, with the problem named.</summary>
public sealed class OptionsTests : IAsyncLifetime
{
    private FakeAuthority _authority = null!;

    public async Task InitializeAsync() => _authority = await FakeAuthority.StartAsync();

    public async Task DisposeAsync() => await _authority.DisposeAsync();

    public static TheoryData<string, Action<AuthServiceTokenOptions>, string> Misconfigurations => new()
    {
        { "no authority", o => o.Authority = null, "Authority must be an absolute URL" },
        { "http on a public host", o => o.Authority = "http://as.example", "Authority must use https" },
        { "ftp", o => o.Authority = "ftp://as.example", "Authority must be an https URL" },
        { "a query", o => o.Authority = "https://as.example?x=1", "query or fragment" },
        { "no audience", o => o.Audience = " ", "Audience is required" },
        { "HS256 allowed", o => o.AllowedAlgorithms = ["ES256", "HS256"], "'HS256' is not allowed" },
        { "none allowed", o => o.AllowedAlgorithms = ["none"], "'none' is not allowed" },
        { "no algorithm", o => o.AllowedAlgorithms = [], "at least one algorithm" },
        { "HS256 for proofs", o => o.Dpop.AllowedAlgorithms = ["HS256"], "Dpop:AllowedAlgorithms: 'HS256'" },
        { "a huge skew", o => o.ClockSkew = TimeSpan.FromHours(1), "ClockSkew" },
        { "a short nonce key", o => o.Dpop.NonceKey = Convert.ToBase64String(new byte[16]), "NonceKey" },
        { "a forwarded header without trusted proxies", o => o.ClientCertificate.ForwardedHeader = "X-Client-Cert", "TrustedProxies" },
        { "an id without a secret", o => o.Introspection.ClientSecret = null, "go together" },
        { "a relative resource", o => o.ProtectedResource.Resource = "/orders", "ProtectedResource:Resource must be an absolute URL" },
        { "an http resource on a public host", o => o.ProtectedResource.Resource = "http://api.example.com/orders", "must use https" },
        { "a resource with a fragment", o => o.ProtectedResource.Resource = "https://api.example.com/orders#x", "query or fragment" },
        { "a resource with a query", o => o.ProtectedResource.Resource = "https://api.example.com/orders?v=1", "query or fragment" },
        { "a resource path with braces", o => o.ProtectedResource.Resource = "https://api.example.com/{orders}", "unreserved characters" },
        { "a scope with a quote", o => { o.ProtectedResource.Resource = ProtectedApi.Audience; o.ProtectedResource.ScopesSupported = ["orders\"read"]; }, "not a scope token" },
        { "relative documentation", o => { o.ProtectedResource.Resource = ProtectedApi.Audience; o.ProtectedResource.ResourceDocumentation = "/docs"; }, "ResourceDocumentation must be an absolute" },
    };

    [Theory]
    [MemberData(nameof(Misconfigurations))]
    public async Task A_misconfigured_API_does_not_start(string variant, Action<AuthServiceTokenOptions> change, string message)
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => ProtectedApi.StartAsync(_authority, change));

        Assert.True(exception.ToString().Contains(message, StringComparison.Ordinal), $"{variant}: {exception.Message}");
    }

    [Theory]
    [InlineData("http://localhost:5000")]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://[::1]:5000")]
    public async Task Plain_http_is_allowed_on_loopback(string authority)
    {
        await using var api = await ProtectedApi.StartAsync(_authority, o => o.Authority = authority);
    }

    [Fact]
    public async Task Plain_http_elsewhere_needs_the_explicit_development_switch()
    {
        await using var api = await ProtectedApi.StartAsync(_authority, o =>
        {
            o.Authority = "http://authservice:8080";
            o.AllowInsecureAuthority = true;
        });
    }
}

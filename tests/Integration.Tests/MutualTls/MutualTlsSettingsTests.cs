using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.MutualTls;

/// <summary>An unusable <c>Auth:MutualTls</c> setting refuses the start and names itself, instead of a server that silently trusts too much.</summary>
public sealed class MutualTlsSettingsTests
{
    [Theory]
    [InlineData("Auth:MutualTls:CertificateHeader", "X-SSL-Client-Cert", "Auth:MutualTls:TrustedProxies")]
    [InlineData("Auth:MutualTls:TrustedProxies", "proxy.example", "Auth:MutualTls:TrustedProxies")]
    [InlineData("Auth:MutualTls:Url", "http://127.0.0.1:5443", "Auth:MutualTls:Url")]
    [InlineData("Auth:MutualTls:TrustedCaCertificates", "/nonexistent/trusted-ca.pem", "Auth:MutualTls:TrustedCaCertificates")]
    public async Task An_unusable_setting_stops_the_start_naming_it(string key, string value, string named)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = new InProcessServer(database, TestClients.SeedJson(), overrides: new Dictionary<string, string?> { [key] = value });

        var output = await server.StartExpectingFailureAsync();

        Assert.Contains(named, output, StringComparison.Ordinal);
    }
}

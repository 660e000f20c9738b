using System.Text.Json.Nodes;
using AuthService.ResourceServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.ResourceServer.Tests;

/// <summary>RFC 9728: the API's protected resource metadata, and the <c>resource_metadata</c> of its challenges (§5.1).</summary>
public sealed class ProtectedResourceMetadataTests : ApiTests
{
    private const string MetadataUrl = "https://api.example.com/.well-known/oauth-protected-resource/orders";

    protected override void Configure(AuthServiceTokenOptions options)
    {
        options.ProtectedResource.Resource = ProtectedApi.Audience;
        options.ProtectedResource.ResourceName = "Orders";
        options.ProtectedResource.ScopesSupported = ["orders.read", "orders.write"];
        options.ProtectedResource.ResourceDocumentation = "https://docs.example.com/orders";
    }

    [Theory]
    [InlineData("/.well-known/oauth-protected-resource/orders")] // RFC 9728 §3.1: inserted before the path
    [InlineData("/.well-known/oauth-protected-resource")]
    public async Task The_document_names_the_resource_the_authority_and_what_the_library_accepts(string path)
    {
        var response = await Api.SendAsync("GET", path);

        Assert.Equal(200, response.Status);
        Assert.Equal("application/json", response.Headers.ContentType.ToString());
        Assert.Equal("public, max-age=3600", response.Headers.CacheControl.ToString());
        var document = JsonNode.Parse(response.Body)!.AsObject();
        Assert.Equal(ProtectedApi.Audience, (string?)document["resource"]); // RFC 9728 §3.3: identical to the identifier
        Assert.Equal([FakeAuthority.Issuer], document["authorization_servers"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(["orders.read", "orders.write"], document["scopes_supported"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(["header"], document["bearer_methods_supported"]!.AsArray().Select(a => (string?)a));
        Assert.Equal("Orders", (string?)document["resource_name"]);
        Assert.Equal("https://docs.example.com/orders", (string?)document["resource_documentation"]);
        Assert.Equal(["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"], document["dpop_signing_alg_values_supported"]!.AsArray().Select(a => (string?)a));
        Assert.False((bool)document["dpop_bound_access_tokens_required"]!);
        Assert.False((bool)document["tls_client_certificate_bound_access_tokens"]!);
        Assert.False(document.ContainsKey("jwks_uri")); // the API signs nothing
        Assert.False(document.ContainsKey("resource_policy_uri"));
        Assert.Equal(200, (await Api.SendAsync("HEAD", path)).Status);
    }

    [Fact]
    public async Task Without_credentials_both_challenges_name_the_metadata()
    {
        var response = await Api.SendAsync("GET", "/orders");

        Assert.Equal(401, response.Status);
        Assert.Equal($"Bearer resource_metadata=\"{MetadataUrl}\"", response.Challenge("Bearer"));
        Assert.Equal($"DPoP algs=\"ES256 ES384 ES512 RS256 PS256 EdDSA\", resource_metadata=\"{MetadataUrl}\"", response.Challenge("DPoP"));
    }

    [Fact]
    public async Task A_refused_token_and_a_missing_scope_name_the_metadata_too()
    {
        var expired = await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now.AddHours(-2)));
        expired.AssertError(401, "Bearer", "invalid_token");
        Assert.EndsWith($", resource_metadata=\"{MetadataUrl}\"", expired.Challenge("Bearer"), StringComparison.Ordinal);

        var forbidden = await Api.SendAsync("POST", "/orders", "Bearer " + Tokens.Access(Authority.Es256, Now, scope: "orders.read"));
        forbidden.AssertError(403, "Bearer", "insufficient_scope");
        Assert.EndsWith($", scope=\"orders.write\", resource_metadata=\"{MetadataUrl}\"", forbidden.Challenge("Bearer"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.example.com", "https://api.example.com/.well-known/oauth-protected-resource")]
    [InlineData("https://api.example.com/", "https://api.example.com/.well-known/oauth-protected-resource")] // §3.1: the terminating slash goes
    [InlineData("https://api.example.com:8443/v1/orders/", "https://api.example.com:8443/.well-known/oauth-protected-resource/v1/orders/")]
    [InlineData("http://localhost:5100/orders", "http://localhost:5100/.well-known/oauth-protected-resource/orders")]
    public void The_metadata_url_inserts_the_well_known_path_between_host_and_path(string resource, string expected)
    {
        var options = new ProtectedResourceOptions { Resource = resource };

        Assert.Empty(options.Problems());
        Assert.Equal(expected, options.MetadataUrl);
    }

    [Fact]
    public async Task Certificate_bound_tokens_are_advertised_when_a_proxy_forwards_certificates_or_when_said_so()
    {
        await using var proxied = await ProtectedApi.StartAsync(Authority, o =>
        {
            Configure(o);
            o.ClientCertificate.ForwardedHeader = "X-Client-Cert";
            o.ClientCertificate.TrustedProxies = ["10.0.0.1"];
        });
        await using var said = await ProtectedApi.StartAsync(Authority, o =>
        {
            Configure(o);
            o.ProtectedResource.TlsClientCertificateBoundAccessTokens = true;
        });

        foreach (var api in new[] { proxied, said })
        {
            var document = JsonNode.Parse((await api.SendAsync("GET", "/.well-known/oauth-protected-resource/orders")).Body)!;
            Assert.True((bool)document["tls_client_certificate_bound_access_tokens"]!);
        }
    }

    [Fact]
    public async Task Mapping_the_metadata_without_a_resource_identifier_is_refused()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthentication().AddAuthServiceTokens(o =>
        {
            o.Authority = FakeAuthority.Issuer;
            o.Audience = ProtectedApi.Audience;
        });
        await using var app = builder.Build();

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapProtectedResourceMetadata());
        Assert.Contains("ProtectedResource:Resource", exception.Message, StringComparison.Ordinal);
    }
}

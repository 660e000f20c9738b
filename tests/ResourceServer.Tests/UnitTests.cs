using System.Text.Json;
using AuthService.ResourceServer.Authority;
using AuthService.ResourceServer.Dpop;
using AuthService.ResourceServer.Jose;

namespace AuthService.ResourceServer.Tests;

/// <summary>The small pure pieces: htu normalization, RFC 7638 thumbprints, metadata locations, the replay cache.</summary>
public sealed class UnitTests
{
    [Theory]
    [InlineData("https://API.Example.com:443/a/./b/../c", "https://api.example.com/a/c")]
    [InlineData("http://example.com:80", "http://example.com/")]
    [InlineData("https://example.com:8443/x?y=1#z", "https://example.com:8443/x")]
    [InlineData("https://example.com/%7euser/%2f", "https://example.com/~user/%2F")]
    public void Htu_is_normalized_as_RFC_3986_section_6_says(string input, string expected) =>
        Assert.Equal(expected, HttpUri.Normalize(input));

    [Theory]
    [InlineData("/relative")]
    [InlineData("ftp://example.com/x")]
    [InlineData("https://user:pw@example.com/x")]
    [InlineData("not a url")]
    public void Htu_that_is_not_an_absolute_http_URL_has_no_normal_form(string input) => Assert.Null(HttpUri.Normalize(input));

    // RFC 7638 §3.1: the example RSA key and its thumbprint.
    [Fact]
    public void The_RFC_7638_example_thumbprint_is_reproduced()
    {
        const string Jwk = """
            {"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}
            """;

        var key = JsonWebKeyReader.Read(JsonDocument.Parse(Jwk).RootElement);

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", key!.Thumbprint);
    }

    // RFC 8037 Appendix A.3: the thumbprint of the example Ed25519 key.
    [Fact]
    public void The_RFC_8037_example_thumbprint_is_reproduced()
    {
        const string Jwk = """{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}""";

        Assert.Equal("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", JsonWebKeyReader.Read(JsonDocument.Parse(Jwk).RootElement)!.Thumbprint);
    }

    [Theory]
    [InlineData("""{"kty":"RSA","n":"AQAB","e":"AQAB"}""")]
    [InlineData("""{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}""")]
    [InlineData("""{"kty":"OKP","crv":"Ed448","x":"AAAA"}""")]
    [InlineData("""{"kty":"oct","k":"c2VjcmV0"}""")]
    [InlineData("""{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}""")]
    public void Weak_malformed_symmetric_or_private_keys_are_not_read(string jwk) =>
        Assert.Null(JsonWebKeyReader.Read(JsonDocument.Parse(jwk).RootElement));

    [Fact]
    public void Metadata_is_looked_for_at_the_RFC_8414_and_the_OpenID_locations()
    {
        Assert.Equal(
            ["https://as.example/.well-known/oauth-authorization-server", "https://as.example/.well-known/openid-configuration"],
            AuthorityDocuments.MetadataUrls(new Uri("https://as.example")).Select(u => u.ToString()));
        Assert.Equal(
            ["https://as.example/.well-known/oauth-authorization-server/tenant", "https://as.example/tenant/.well-known/oauth-authorization-server", "https://as.example/tenant/.well-known/openid-configuration"],
            AuthorityDocuments.MetadataUrls(new Uri("https://as.example/tenant")).Select(u => u.ToString()));
    }

    [Fact]
    public async Task The_in_memory_replay_cache_accepts_an_id_once_until_it_expires()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        var cache = new InMemoryDpopReplayCache(clock);
        var until = clock.GetUtcNow().AddMinutes(2);

        Assert.True(await cache.TryAddAsync("a", until, CancellationToken.None));
        Assert.False(await cache.TryAddAsync("a", until, CancellationToken.None));
        Assert.True(await cache.TryAddAsync("b", until, CancellationToken.None));

        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.True(await cache.TryAddAsync("c", clock.GetUtcNow().AddMinutes(2), CancellationToken.None));
        Assert.Equal(1, cache.Count); // the sweep dropped a and b
        Assert.True(await cache.TryAddAsync("a", clock.GetUtcNow().AddMinutes(2), CancellationToken.None));
    }
}

using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Integration.Tests.Discovery;

/// <summary>
/// Authorization server metadata (RFC 8414, OIDC Discovery 1.0) and the JWKS (RFC 7517):
/// RFC 8414 §2, ASVS 11.2.3 and RFC 9700 §4.13 (issuer never from headers).
/// </summary>
public sealed class DiscoveryTests(DiscoveryTests.DefaultKeySizeServer server) : IClassFixture<DiscoveryTests.DefaultKeySizeServer>
{
    /// <summary>The server's own RS256 key size (3072), not the test servers' 2048 (<see cref="ServerSettings.TestRsaKeySize"/>).</summary>
    public sealed class DefaultKeySizeServer : AuthServerFixture
    {
        protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?> { [ServerSettings.RsaKeySizeSetting] = null };
    }

    private const string OpenIdConfiguration = "/.well-known/openid-configuration";
    private const string OAuthMetadata = "/.well-known/oauth-authorization-server";
    private const string Jwks = "/.well-known/jwks.json";

    /// <summary>Exactly what is implemented: a member that is absent means the feature is absent.</summary>
    private static readonly string[] ImplementedMembers =
    [
        "issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "end_session_endpoint", "jwks_uri",
        "scopes_supported", "grant_types_supported", "response_types_supported", "response_modes_supported", "prompt_values_supported",
        "code_challenge_methods_supported", "authorization_response_iss_parameter_supported", "subject_types_supported",
        "id_token_signing_alg_values_supported", "claims_supported", "request_parameter_supported", "request_uri_parameter_supported",
        "token_endpoint_auth_methods_supported", "dpop_signing_alg_values_supported",
        "introspection_endpoint", "introspection_endpoint_auth_methods_supported", "revocation_endpoint", "revocation_endpoint_auth_methods_supported",
        "token_endpoint_auth_signing_alg_values_supported", "introspection_endpoint_auth_signing_alg_values_supported",
        "revocation_endpoint_auth_signing_alg_values_supported",
        "pushed_authorization_request_endpoint", "require_pushed_authorization_requests", "device_authorization_endpoint", "request_object_signing_alg_values_supported",
        "client_id_metadata_document_supported", "backchannel_logout_supported", "backchannel_logout_session_supported",
        "frontchannel_logout_supported", "frontchannel_logout_session_supported", "acr_values_supported", "claims_parameter_supported",
    ];

    private readonly HttpClient _client = server.Client;

    // RFC 8414 §2
    [Theory]
    [InlineData(OpenIdConfiguration)]
    [InlineData(OAuthMetadata)]
    public async Task Metadata_advertises_exactly_what_is_implemented(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var metadata = await response.JsonAsync();

        Assert.Equal(ImplementedMembers.Order(StringComparer.Ordinal), metadata.EnumerateObject().Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.Equal("https://issuer.test", metadata.GetProperty("issuer").GetString());
        Assert.Equal("https://issuer.test/connect/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal("https://issuer.test/.well-known/jwks.json", metadata.GetProperty("jwks_uri").GetString());
        Assert.Equal(["authorization_code", "client_credentials", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange"],
            Strings(metadata.GetProperty("grant_types_supported")));
        Assert.Equal("https://issuer.test/connect/authorize", metadata.GetProperty("authorization_endpoint").GetString());
        Assert.Equal("https://issuer.test/connect/userinfo", metadata.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal("https://issuer.test/connect/endsession", metadata.GetProperty("end_session_endpoint").GetString());
        Assert.Equal(["code"], Strings(metadata.GetProperty("response_types_supported")));
        Assert.Equal(["S256"], Strings(metadata.GetProperty("code_challenge_methods_supported"))); // RFC 9700 §2.1.1
        Assert.True(metadata.GetProperty("authorization_response_iss_parameter_supported").GetBoolean()); // RFC 9207 §3
        Assert.Contains("openid", Strings(metadata.GetProperty("scopes_supported")));
        Assert.Contains("tenant", Strings(metadata.GetProperty("scopes_supported"))); // docs/adr/0038: the tenant in tokens
        Assert.Subset(Strings(metadata.GetProperty("claims_supported")).ToHashSet(), new HashSet<string> { "tenant", "tenant_id", "tenant_roles", "tenants" });
        Assert.Equal(["public"], Strings(metadata.GetProperty("subject_types_supported")));
        Assert.DoesNotContain("none", Strings(metadata.GetProperty("id_token_signing_alg_values_supported")));
        Assert.Equal(["client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt", "none"], Strings(metadata.GetProperty("token_endpoint_auth_methods_supported")));
        Assert.Equal("https://issuer.test/connect/introspect", metadata.GetProperty("introspection_endpoint").GetString());
        Assert.Equal("https://issuer.test/connect/revoke", metadata.GetProperty("revocation_endpoint").GetString());
        Assert.Equal("https://issuer.test/connect/par", metadata.GetProperty("pushed_authorization_request_endpoint").GetString()); // RFC 9126 §5
        Assert.Equal("https://issuer.test/connect/deviceauthorization", metadata.GetProperty("device_authorization_endpoint").GetString()); // RFC 8628 §4
        Assert.False(metadata.GetProperty("require_pushed_authorization_requests").GetBoolean());
        Assert.True(metadata.GetProperty("request_parameter_supported").GetBoolean()); // RFC 9101 §10.1: by value
        Assert.False(metadata.GetProperty("request_uri_parameter_supported").GetBoolean()); // only PAR URNs, never a URL to fetch
        var requestObjectAlgorithms = Strings(metadata.GetProperty("request_object_signing_alg_values_supported"));
        Assert.Contains("PS256", requestObjectAlgorithms);
        Assert.Contains("EdDSA", requestObjectAlgorithms); // RFC 8037: Ed25519 client keys verify request objects
        Assert.DoesNotContain("none", requestObjectAlgorithms);
        Assert.DoesNotContain(requestObjectAlgorithms, alg => alg.StartsWith("HS", StringComparison.Ordinal));
        foreach (var member in metadata.EnumerateObject().Where(m => m.Name is "introspection_endpoint_auth_methods_supported" or "revocation_endpoint_auth_methods_supported"))
        {
            Assert.Equal(["client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt"], Strings(member.Value));
        }

        // RFC 8414 §2: the assertion algorithms of each endpoint that authenticates clients; never "none", and
        // asymmetric and HMAC algorithms both (private_key_jwt, client_secret_jwt).
        foreach (var name in (string[])["token_endpoint_auth_signing_alg_values_supported", "introspection_endpoint_auth_signing_alg_values_supported", "revocation_endpoint_auth_signing_alg_values_supported"])
        {
            var algorithms = Strings(metadata.GetProperty(name));
            Assert.DoesNotContain("none", algorithms);
            Assert.Contains("ES256", algorithms);
            Assert.Contains("RS256", algorithms);
            Assert.Contains("HS256", algorithms);
        }

        var responseTypes = Strings(metadata.GetProperty("response_types_supported"));
        Assert.DoesNotContain("token", responseTypes);
        Assert.DoesNotContain(responseTypes, t => t.Split(' ').Contains("token"));

        foreach (var member in metadata.EnumerateObject().Where(m => m.Name.EndsWith("_endpoint", StringComparison.Ordinal) || m.Name.EndsWith("_uri", StringComparison.Ordinal) || m.Name == "issuer"))
        {
            Assert.StartsWith("https://", member.Value.GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("public, max-age=3600", response.Header("Cache-Control"));
        Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
    }

    // RFC 8414 §2: every advertised endpoint exists (an empty POST is refused by the endpoint itself, not by
    // routing): the back-channel endpoints in RFC 6749 JSON, UserInfo with a Bearer challenge (RFC 6750 §3),
    // the browser endpoints with an HTML error page.
    [Fact]
    public async Task Every_advertised_endpoint_is_served()
    {
        var metadata = await (await _client.GetAsync(OpenIdConfiguration)).JsonAsync();

        foreach (var member in metadata.EnumerateObject().Where(m => m.Name.EndsWith("_endpoint", StringComparison.Ordinal)))
        {
            var path = new Uri(member.Value.GetString()!).AbsolutePath;
            var response = await _client.PostTokenAsync("", path: path);
            // Without a session, an end-session request has nothing to end: "signed out" (200).
            Assert.True((int)response.StatusCode is 400 or 401 || (member.Name == "end_session_endpoint" && response.StatusCode == HttpStatusCode.OK),
                $"{member.Name} {path}: {(int)response.StatusCode}");
            var expectedType = member.Name switch
            {
                "authorization_endpoint" or "end_session_endpoint" => "text/html",
                "userinfo_endpoint" => null,
                _ => "application/json",
            };
            Assert.Equal(expectedType, response.Content.Headers.ContentType?.MediaType);
            if (member.Name == "userinfo_endpoint")
            {
                Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(new Uri(metadata.GetProperty("jwks_uri").GetString()!).AbsolutePath)).StatusCode);
    }

    // RFC 8414 §2: password and implicit are gone in OAuth 2.1.
    [Fact]
    public async Task Metadata_does_not_offer_removed_grants()
    {
        var metadata = await (await _client.GetAsync(OpenIdConfiguration)).JsonAsync();

        var grants = Strings(metadata.GetProperty("grant_types_supported"));
        Assert.DoesNotContain("password", grants);
        Assert.DoesNotContain("implicit", grants);
    }

    // RFC 8414 §3: both documents describe the same server.
    [Fact]
    public async Task Both_metadata_documents_are_identical()
    {
        var openId = await _client.GetStringAsync(OpenIdConfiguration);
        var oauth = await _client.GetStringAsync(OAuthMetadata);

        Assert.Equal(openId, oauth);
    }

    // RFC 9700 §4.13: Host and X-Forwarded-* are not trusted for the issuer or the endpoint URLs.
    [Fact]
    public async Task Spoofed_host_headers_do_not_change_the_metadata()
    {
        var expected = await _client.GetStringAsync(OpenIdConfiguration);

        using var request = new HttpRequestMessage(HttpMethod.Get, OpenIdConfiguration);
        SpoofHost(request);
        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected, body);
        Assert.DoesNotContain("evil", body, StringComparison.Ordinal);
    }

    // RFC 9700 §4.13: ... nor for the iss of a token.
    [Fact]
    public async Task Spoofed_host_headers_do_not_change_the_token_issuer()
    {
        using var request = Protocol.TokenRequest(Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(TestClients.C1, TestClients.C1Secret));
        SpoofHost(request);
        var body = await OAuthAssert.TokenSuccessAsync(await _client.SendAsync(request));

        var jwt = AccessTokens.Read(body.GetProperty("access_token").GetString()!);
        Assert.Equal(TestClients.Issuer, jwt.Issuer);
        Assert.Equal([TestClients.Issuer], jwt.Audiences);
    }

    // ASVS 11.2.3
    [Fact]
    public async Task Jwks_publishes_one_public_es256_one_public_rs256_and_one_public_eddsa_key()
    {
        var response = await _client.GetAsync(Jwks);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jwk-set+json", response.Content.Headers.ContentType?.MediaType);
        var keys = (await response.JsonAsync()).GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(3, keys.Count);

        var kids = keys.Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.All(kids, kid => Assert.False(string.IsNullOrEmpty(kid)));
        Assert.Equal(kids.Count, kids.Distinct(StringComparer.Ordinal).Count());

        string[] privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];
        foreach (var key in keys)
        {
            Assert.Equal("sig", key.GetProperty("use").GetString());
            Assert.All(privateMembers, member => Assert.False(key.TryGetProperty(member, out _), $"The JWKS publishes the private member '{member}'"));
        }

        var ec = Assert.Single(keys, k => k.GetProperty("kty").GetString() == "EC");
        Assert.Equal("ES256", ec.GetProperty("alg").GetString());
        Assert.Equal("P-256", ec.GetProperty("crv").GetString());
        Assert.Equal(32, Base64UrlEncoder.DecodeBytes(ec.GetProperty("x").GetString()).Length);
        Assert.Equal(32, Base64UrlEncoder.DecodeBytes(ec.GetProperty("y").GetString()).Length);

        // ASVS 11.2.3: 128-bit security means RSA 3072.
        var rsa = Assert.Single(keys, k => k.GetProperty("kty").GetString() == "RSA");
        Assert.Equal("RS256", rsa.GetProperty("alg").GetString());
        var modulus = Base64UrlEncoder.DecodeBytes(rsa.GetProperty("n").GetString());
        var modulusBits = (modulus.Length * 8) - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus[0]) + 24;
        Assert.True(modulusBits >= 3072, $"RSA modulus is {modulusBits} bits");
        Assert.Equal("AQAB", rsa.GetProperty("e").GetString());

        // RFC 8037 §2: an Ed25519 public key is an OKP key with the 32-byte encoded point in x and nothing else.
        var okp = Assert.Single(keys, k => k.GetProperty("kty").GetString() == "OKP");
        Assert.Equal("EdDSA", okp.GetProperty("alg").GetString());
        Assert.Equal("Ed25519", okp.GetProperty("crv").GetString());
        Assert.Equal(32, Base64UrlEncoder.DecodeBytes(okp.GetProperty("x").GetString()).Length);
        Assert.False(okp.TryGetProperty("y", out _));
    }

    // RFC 7517 §4.5 / RFC 7638: the kid is the key's thumbprint, so it is stable and verifiable.
    [Fact]
    public async Task Each_kid_is_the_rfc7638_thumbprint_of_its_key()
    {
        var jwks = new JsonWebKeySet(await _client.GetStringAsync(Jwks));

        foreach (var key in jwks.Keys)
        {
            Assert.Equal(key.Kid, Base64UrlEncoder.Encode(key.Kty == "OKP" ? OkpThumbprint(key) : key.ComputeJwkThumbprint()));
        }
    }

    /// <summary>IdentityModel computes thumbprints of EC, RSA and oct keys only; RFC 8037 §2 gives OKP's members: crv, kty, x.</summary>
    private static byte[] OkpThumbprint(JsonWebKey key)
    {
        Assert.Equal("Ed25519", key.Crv);
        return System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{{\"crv\":\"{key.Crv}\",\"kty\":\"OKP\",\"x\":\"{key.X}\"}}"));
    }

    // RFC 9110 §13.1.2: conditional GET, and the cache lifetime the resource servers are told.
    [Fact]
    public async Task Jwks_is_cacheable_and_answers_304_to_its_etag()
    {
        var response = await _client.GetAsync(Jwks);
        Assert.Equal("public, max-age=900", response.Header("Cache-Control"));
        Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, Jwks);
        conditional.Headers.IfNoneMatch.Add(etag);
        var notModified = await _client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag);

        using var stale = new HttpRequestMessage(HttpMethod.Get, Jwks);
        stale.Headers.TryAddWithoutValidation("If-None-Match", "\"something-else\"");
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(stale)).StatusCode);
    }

    // RFC 9110 §9.3.2: HEAD is served where GET is. (Dropping the body is the web server's job: the
    // end-to-end tests check that over Kestrel; the in-memory test server does not strip it.)
    [Theory]
    [InlineData(OpenIdConfiguration)]
    [InlineData(Jwks)]
    public async Task Head_is_answered_like_get(string path)
    {
        var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Header("Cache-Control"));
    }

    [Theory]
    [InlineData(OpenIdConfiguration)]
    [InlineData(Jwks)]
    public async Task Post_to_metadata_is_405(string path)
    {
        var response = await _client.PostAsync(path, new StringContent(""));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    // RFC 8414 §3.1: an issuer without a path has only the plain well-known URLs; a path-inserted one names another issuer.
    [Theory]
    [InlineData(OAuthMetadata + "/tenant-a")]
    [InlineData(OpenIdConfiguration + "/tenant-a")]
    public async Task Path_inserted_metadata_urls_are_404_when_the_issuer_has_no_path(string path)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(path)).StatusCode);
    }

    private static void SpoofHost(HttpRequestMessage request)
    {
        request.Headers.Host = "evil.com";
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.com");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "http");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=203.0.113.7;host=evil.com;proto=http");
        request.Headers.TryAddWithoutValidation("X-Original-Host", "evil.com");
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}

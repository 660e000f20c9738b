using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.ResourceServer.Tests.Infrastructure;

namespace AuthService.ResourceServer.Tests;

/// <summary>RFC 9068 §4 at the resource server, with a bearer token that differs from a good one in one way each time.</summary>
public sealed class AccessTokenTests : ApiTests
{
    [Fact]
    public async Task An_ES256_token_is_accepted_with_its_claims_and_scopes_split()
    {
        var response = await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now));

        Assert.Equal(200, response.Status);
        var body = JsonDocument.Parse(response.Body).RootElement;
        Assert.Equal("service-1", body.GetProperty("sub").GetString());
        Assert.Equal("service-1", body.GetProperty("name").GetString());
        Assert.Equal("service-1", body.GetProperty("client_id").GetString());
        Assert.Equal("bearer", body.GetProperty("binding").GetString());
        Assert.Equal(["orders.read", "orders.write"], body.GetProperty("scope").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task RS256_and_EdDSA_tokens_are_accepted()
    {
        Assert.Equal(200, (await Api.GetOrdersAsync(Tokens.Access(Authority.Rs256, Now))).Status);
        Assert.Equal(200, (await Api.GetOrdersAsync(Tokens.Access(Authority.EdDsa, Now))).Status);
    }

    [Fact]
    public async Task The_scheme_name_is_case_insensitive_and_application_at_jwt_is_accepted()
    {
        var token = Tokens.Access(Authority.Es256, Now, header: h => h["typ"] = "application/at+jwt");

        Assert.Equal(200, (await Api.SendAsync("GET", "/orders", "bearer " + token)).Status);
    }

    [Fact]
    public async Task Without_credentials_the_answer_is_401_with_both_challenges_and_no_error()
    {
        var response = await Api.SendAsync("GET", "/orders");

        Assert.Equal(401, response.Status);
        Assert.Equal("Bearer", response.Challenge("Bearer"));
        Assert.Equal("DPoP algs=\"ES256 ES384 ES512 RS256 PS256 EdDSA\"", response.Challenge("DPoP"));
        Assert.Equal("no-store", response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task A_token_in_the_query_is_not_read()
    {
        var response = await Api.SendAsync("GET", "/orders?access_token=" + Tokens.Access(Authority.Es256, Now));

        Assert.Equal(401, response.Status);
        Assert.Equal("Bearer", response.Challenge("Bearer"));
    }

    [Fact]
    public async Task A_token_without_the_scope_is_forbidden_with_insufficient_scope()
    {
        var token = Tokens.Access(Authority.Es256, Now, scope: "orders.read");

        Assert.Equal(200, (await Api.GetOrdersAsync(token)).Status);
        var response = await Api.SendAsync("POST", "/orders", "Bearer " + token);
        response.AssertError(403, "Bearer", "insufficient_scope");

        // RFC 6750 §3: the scope the request needs.
        Assert.Contains("scope=\"orders.write\"", response.Challenge("Bearer"), StringComparison.Ordinal);
    }

    public static TheoryData<string, Action<JsonObject>> ClaimVariants => new()
    {
        { "another issuer", p => p["iss"] = "https://evil.example" },
        { "the issuer with a trailing slash", p => p["iss"] = FakeAuthority.Issuer + "/" },
        { "another audience", p => p["aud"] = "https://api.example.com/invoices" },
        { "an audience list without this API", p => p["aud"] = new JsonArray("https://a.example", "https://b.example") },
        { "no audience", p => p.Remove("aud") },
        { "no exp", p => p.Remove("exp") },
        { "exp as a string", p => p["exp"] = "9999999999" },
        { "no sub", p => p.Remove("sub") },
        { "no client_id", p => p.Remove("client_id") },
        { "no jti", p => p.Remove("jti") },
        { "no iat", p => p.Remove("iat") },
        { "a scope that is not a string", p => p["scope"] = new JsonArray("orders.read") },
        { "a cnf that is not an object", p => p["cnf"] = "x" },
        { "a cnf of a kind that cannot be checked", p => p["cnf"] = new JsonObject { ["jwk"] = new JsonObject() } },
    };

    [Theory]
    [MemberData(nameof(ClaimVariants))]
    public async Task A_token_with_a_wrong_or_missing_claim_is_refused(string variant, Action<JsonObject> change)
    {
        var response = await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now, payload: change));

        Assert.True(response.Status == 401, variant);
        response.AssertError(401, "Bearer", "invalid_token");
    }

    [Fact]
    public async Task An_audience_list_containing_this_API_is_accepted()
    {
        var token = Tokens.Access(Authority.Es256, Now, payload: p => p["aud"] = new JsonArray("https://other.example", ProtectedApi.Audience));

        Assert.Equal(200, (await Api.GetOrdersAsync(token)).Status);
    }

    [Fact]
    public async Task Expiry_is_checked_with_the_configured_clock_skew()
    {
        var token = Tokens.Access(Authority.Es256, Now);

        Api.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(29));
        Assert.Equal(200, (await Api.GetOrdersAsync(token)).Status);

        Api.Clock.Advance(TimeSpan.FromSeconds(1));
        (await Api.GetOrdersAsync(token)).AssertError(401, "Bearer", "invalid_token");
    }

    [Fact]
    public async Task A_token_not_valid_yet_is_refused_beyond_the_skew()
    {
        Assert.Equal(200, (await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now, payload: p => p["nbf"] = Now.AddSeconds(30).ToUnixTimeSeconds()))).Status);
        (await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now, payload: p => p["nbf"] = Now.AddSeconds(31).ToUnixTimeSeconds())))
            .AssertError(401, "Bearer", "invalid_token");
    }

    public static TheoryData<string, Action<JsonObject>> HeaderVariants => new()
    {
        { "typ JWT (an ID token or another JWT of the issuer)", h => h["typ"] = "JWT" },
        { "no typ", h => h.Remove("typ") },
        { "typ dpop+jwt", h => h["typ"] = "dpop+jwt" },
        { "no kid", h => h.Remove("kid") },
        { "crit naming an unknown extension", h => h["crit"] = new JsonArray("bork") },
        { "jku pointing elsewhere", h => h["jku"] = "https://evil.example/jwks" },
        { "x5u", h => h["x5u"] = "https://evil.example/cert" },
        { "an embedded jwk", h => h["jwk"] = new JsonObject { ["kty"] = "EC" } },
        { "zip", h => h["zip"] = "DEF" },
    };

    [Theory]
    [MemberData(nameof(HeaderVariants))]
    public async Task A_token_with_a_wrong_or_dangerous_header_is_refused(string variant, Action<JsonObject> change)
    {
        var response = await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now, header: change));

        Assert.True(response.Status == 401, variant);
        response.AssertError(401, "Bearer", "invalid_token");
    }

    [Fact]
    public async Task Alg_none_is_refused()
    {
        var header = Tokens.Header(Authority.Es256);
        header["alg"] = "none";

        (await Api.GetOrdersAsync(Jwt.Unsigned(header, Tokens.Payload(Now)))).AssertError(401, "Bearer", "invalid_token");
    }

    // RFC 8725 §2.1; CVE-2024-37568: an HMAC "verified" with the public key's bytes as the secret.
    [Fact]
    public async Task HS256_keyed_with_the_public_key_is_refused()
    {
        var header = Tokens.Header(Authority.Rs256);
        header["alg"] = "HS256";
        var publicKeyBytes = Encoding.UTF8.GetBytes(Authority.Rs256.PublishedJwk.ToJsonString());

        (await Api.GetOrdersAsync(Jwt.Hs256(header, Tokens.Payload(Now), publicKeyBytes))).AssertError(401, "Bearer", "invalid_token");
    }

    [Fact]
    public async Task An_algorithm_outside_the_allow_list_is_refused_even_with_a_valid_signature()
    {
        // PS256 with the published RSA key, whose JWK says RS256; and ES256 claimed for the RSA key.
        (await Api.GetOrdersAsync(Tokens.Access(Authority.Rs256, Now, header: h => h["alg"] = "PS256"))).AssertError(401, "Bearer", "invalid_token");
        (await Api.GetOrdersAsync(Tokens.Access(Authority.Rs256, Now, header: h => h["alg"] = "ES256"))).AssertError(401, "Bearer", "invalid_token");
    }

    [Fact]
    public async Task A_tampered_payload_is_refused()
    {
        var token = Tokens.Access(Authority.Es256, Now, scope: "orders.read");
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1]))))!.AsObject();
        payload["scope"] = "orders.read orders.write admin";
        var tampered = parts[0] + "." + Jwt.Part(payload) + "." + parts[2];

        (await Api.GetOrdersAsync(tampered)).AssertError(401, "Bearer", "invalid_token");
    }

    [Fact]
    public async Task Duplicate_members_in_the_payload_are_refused()
    {
        var header = Tokens.Header(Authority.Es256);
        var json = Tokens.Payload(Now).ToJsonString();
        var duplicated = json[..^1] + ",\"exp\":9999999999}";
        var input = Jwt.Part(header) + "." + TestSigningKey.B64(Encoding.UTF8.GetBytes(duplicated));
        var token = input + "." + TestSigningKey.B64(Authority.Es256.Sign(Encoding.ASCII.GetBytes(input), "ES256"));

        (await Api.GetOrdersAsync(token)).AssertError(401, "Bearer", "invalid_token");
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d.e")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30.!!!")]
    public async Task Malformed_tokens_are_invalid_token_not_a_500(string token)
    {
        (await Api.GetOrdersAsync(token)).AssertError(401, "Bearer", "invalid_token");
    }

    [Fact]
    public async Task Two_Authorization_headers_or_a_token_with_spaces_are_invalid_request()
    {
        (await Api.SendAsync("GET", "/orders", "Bearer a b")).AssertError(400, "Bearer", "invalid_request");
        (await Api.SendAsync("GET", "/orders", "Bearer ")).AssertError(400, "Bearer", "invalid_request");
    }

    [Fact]
    public async Task An_oversized_token_is_refused()
    {
        var token = Tokens.Access(Authority.Es256, Now, payload: p => p["pad"] = new string('x', 9000));

        (await Api.GetOrdersAsync(token)).AssertError(401, "Bearer", "invalid_token");
    }

    private static string Pad(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }
}

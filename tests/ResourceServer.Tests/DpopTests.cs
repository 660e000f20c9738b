using System.Text;
using System.Text.Json.Nodes;
using AuthService.ResourceServer.Tests.Infrastructure;

namespace AuthService.ResourceServer.Tests;

/// <summary>DPoP at the resource server (RFC 9449 §4.3, §7.1): one bad proof per check, and the stolen-token cases.</summary>
public sealed class DpopTests : ApiTests
{
    private const string OrdersUrl = ProtectedApi.Origin + "/orders";

    private readonly TestSigningKey _clientKey = TestSigningKey.Es256("client");

    private string BoundToken() => Tokens.DpopBound(Authority.Es256, Now, _clientKey);

    private Task<ApiResponse> SendAsync(string token, string proof, string method = "GET", string path = "/orders") =>
        Api.SendAsync(method, path, "DPoP " + token, [proof]);

    [Fact]
    public async Task A_bound_token_with_a_valid_proof_is_accepted()
    {
        var token = BoundToken();

        var response = await SendAsync(token, Proofs.For(_clientKey, "GET", OrdersUrl, token, Now));

        Assert.Equal(200, response.Status);
        Assert.Contains("\"binding\":\"dpop\"", response.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS256")]
    [InlineData("EdDSA")]
    [InlineData("ES384")]
    public async Task Proofs_with_other_asymmetric_algorithms_are_accepted(string algorithm)
    {
        var key = algorithm switch
        {
            "RS256" => TestSigningKey.Rs256("c"),
            "PS256" => TestSigningKey.Ps256("c"),
            "EdDSA" => TestSigningKey.EdDsa("c"),
            _ => TestSigningKey.Es384("c"),
        };
        var token = Tokens.DpopBound(Authority.Es256, Now, key);

        Assert.Equal(200, (await SendAsync(token, Proofs.For(key, "GET", OrdersUrl, token, Now))).Status);
    }

    // RFC 9449 §7.1 (and CVE-2024-49755): a stolen DPoP-bound token used as a bearer token.
    [Fact]
    public async Task A_DPoP_bound_token_sent_as_Bearer_is_refused()
    {
        var token = BoundToken();

        var response = await Api.GetOrdersAsync(token);

        response.AssertError(401, "Bearer", "invalid_token");
        Assert.Equal("DPoP algs=\"ES256 ES384 ES512 RS256 PS256 EdDSA\"", response.Challenge("DPoP"));
    }

    [Fact]
    public async Task A_DPoP_bound_token_sent_as_Bearer_with_a_valid_proof_is_still_refused()
    {
        var token = BoundToken();

        (await Api.SendAsync("GET", "/orders", "Bearer " + token, [Proofs.For(_clientKey, "GET", OrdersUrl, token, Now)]))
            .AssertError(401, "Bearer", "invalid_token");
    }

    [Fact]
    public async Task An_unbound_token_under_the_DPoP_scheme_is_refused()
    {
        var token = Tokens.Access(Authority.Es256, Now);

        (await SendAsync(token, Proofs.For(_clientKey, "GET", OrdersUrl, token, Now))).AssertError(401, "DPoP", "invalid_token");
    }

    [Fact]
    public async Task A_replayed_proof_is_refused()
    {
        var token = BoundToken();
        var proof = Proofs.For(_clientKey, "GET", OrdersUrl, token, Now);

        Assert.Equal(200, (await SendAsync(token, proof)).Status);
        var replay = await SendAsync(token, proof);

        replay.AssertError(401, "DPoP", "invalid_dpop_proof");
        Assert.Contains("algs=\"ES256 ES384 ES512 RS256 PS256 EdDSA\"", replay.Challenge("DPoP"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proof_signed_by_another_key_than_cnf_jkt_is_refused()
    {
        var token = BoundToken();
        var thief = TestSigningKey.Es256("thief");

        (await SendAsync(token, Proofs.For(thief, "GET", OrdersUrl, token, Now))).AssertError(401, "DPoP", "invalid_token");
    }

    [Fact]
    public async Task Without_a_DPoP_header_or_with_two_the_proof_is_invalid()
    {
        var token = BoundToken();
        var proof = Proofs.For(_clientKey, "GET", OrdersUrl, token, Now);

        (await Api.SendAsync("GET", "/orders", "DPoP " + token)).AssertError(401, "DPoP", "invalid_dpop_proof");
        (await Api.SendAsync("GET", "/orders", "DPoP " + token, [proof, Proofs.For(_clientKey, "GET", OrdersUrl, token, Now)]))
            .AssertError(401, "DPoP", "invalid_dpop_proof");
    }

    public static TheoryData<string, string, string> RequestVariants => new()
    {
        { "another method", "POST", OrdersUrl },
        { "a lower-case method", "get", OrdersUrl },
        { "another path", "GET", ProtectedApi.Origin + "/orders/1" },
        { "another host", "GET", "https://evil.example/orders" },
        { "another scheme", "GET", "http://api.example.com/orders" },
        { "another port", "GET", "https://api.example.com:8443/orders" },
        { "a relative URL", "GET", "/orders" },
    };

    [Theory]
    [MemberData(nameof(RequestVariants))]
    public async Task A_proof_for_another_method_or_URL_is_refused(string variant, string htm, string htu)
    {
        var token = BoundToken();

        var response = await SendAsync(token, Proofs.For(_clientKey, htm, htu, token, Now));

        Assert.True(response.Status == 401, variant);
        response.AssertError(401, "DPoP", "invalid_dpop_proof");
    }

    // RFC 9449 §4.3 point 9: query and fragment are ignored; RFC 3986 §6 normalization applies.
    [Theory]
    [InlineData("https://api.example.com/orders?page=2")]
    [InlineData("https://api.example.com/orders#top")]
    [InlineData("HTTPS://API.EXAMPLE.COM/orders")]
    [InlineData("https://api.example.com:443/orders")]
    [InlineData("https://api.example.com/%6Frders")]
    public async Task Equivalent_htu_spellings_are_accepted(string htu)
    {
        var token = BoundToken();

        Assert.Equal(200, (await Api.SendAsync("GET", "/orders?page=2", "DPoP " + token, [Proofs.For(_clientKey, "GET", htu, token, Now)])).Status);
    }

    public static TheoryData<string, Action<JsonObject>> PayloadVariants => new()
    {
        { "no ath", p => p.Remove("ath") },
        { "an ath of another token", p => p["ath"] = Jwt.Ath("another.access.token") },
        { "no jti", p => p.Remove("jti") },
        { "no htm", p => p.Remove("htm") },
        { "no htu", p => p.Remove("htu") },
        { "no iat", p => p.Remove("iat") },
        { "iat as a string", p => p["iat"] = "1" },
    };

    [Theory]
    [MemberData(nameof(PayloadVariants))]
    public async Task A_proof_with_a_missing_or_wrong_claim_is_refused(string variant, Action<JsonObject> change)
    {
        var token = BoundToken();

        var response = await SendAsync(token, Proofs.For(_clientKey, "GET", OrdersUrl, token, Now, payload: change));

        Assert.True(response.Status == 401, variant);
        response.AssertError(401, "DPoP", "invalid_dpop_proof");
    }

    [Fact]
    public async Task The_iat_window_is_the_proof_lifetime_in_the_past_and_the_skew_in_the_future()
    {
        var token = BoundToken();
        Task<ApiResponse> WithIat(TimeSpan offset) => SendAsync(token, Proofs.For(_clientKey, "GET", OrdersUrl, token, Now, payload: p => p["iat"] = Now.Add(offset).ToUnixTimeSeconds()));

        Assert.Equal(200, (await WithIat(TimeSpan.FromSeconds(-10))).Status);
        Assert.Equal(200, (await WithIat(TimeSpan.FromSeconds(10))).Status);
        Assert.Equal(200, (await WithIat(TimeSpan.FromSeconds(-150))).Status); // 2 min lifetime + 30 s skew
        (await WithIat(TimeSpan.FromSeconds(-151))).AssertError(401, "DPoP", "invalid_dpop_proof");
        (await WithIat(TimeSpan.FromHours(-1))).AssertError(401, "DPoP", "invalid_dpop_proof");
        (await WithIat(TimeSpan.FromSeconds(31))).AssertError(401, "DPoP", "invalid_dpop_proof");
        (await WithIat(TimeSpan.FromHours(1))).AssertError(401, "DPoP", "invalid_dpop_proof");
    }

    public static TheoryData<string, Action<JsonObject>> HeaderVariants => new()
    {
        { "typ JWT", h => h["typ"] = "JWT" },
        { "no typ", h => h.Remove("typ") },
        { "no jwk", h => h.Remove("jwk") },
        { "a jwk that is not an object", h => h["jwk"] = "key" },
        { "a jwk of another key", h => h["jwk"] = TestSigningKey.Es256("other").PublicJwk },
        { "alg ES384 with a P-256 key", h => h["alg"] = "ES384" },
        { "jku", h => h["jku"] = "https://evil.example/jwks" },
        { "x5c", h => h["x5c"] = new JsonArray("MII") },
        { "crit", h => h["crit"] = new JsonArray("bork") },
    };

    [Theory]
    [MemberData(nameof(HeaderVariants))]
    public async Task A_proof_with_a_wrong_header_is_refused(string variant, Action<JsonObject> change)
    {
        var token = BoundToken();

        var response = await SendAsync(token, Proofs.For(_clientKey, "GET", OrdersUrl, token, Now, header: change));

        Assert.True(response.Status == 401, variant);
        response.AssertError(401, "DPoP", "invalid_dpop_proof");
    }

    [Fact]
    public async Task A_proof_carrying_the_private_key_in_its_jwk_is_refused()
    {
        var token = BoundToken();

        (await SendAsync(token, Proofs.For(_clientKey, "GET", OrdersUrl, token, Now, header: h => h["jwk"] = _clientKey.PrivateJwk)))
            .AssertError(401, "DPoP", "invalid_dpop_proof");
    }

    [Fact]
    public async Task Proofs_with_alg_none_or_a_MAC_are_refused()
    {
        var token = BoundToken();
        var header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = "none", ["jwk"] = _clientKey.PublicJwk };
        var payload = new JsonObject { ["jti"] = "j1", ["htm"] = "GET", ["htu"] = OrdersUrl, ["iat"] = Now.ToUnixTimeSeconds(), ["ath"] = Jwt.Ath(token) };
        (await SendAsync(token, Jwt.Unsigned(header, payload))).AssertError(401, "DPoP", "invalid_dpop_proof");

        header["alg"] = "HS256";
        var mac = Jwt.Hs256(header, payload, Encoding.UTF8.GetBytes(_clientKey.PublicJwk.ToJsonString()));
        (await SendAsync(token, mac)).AssertError(401, "DPoP", "invalid_dpop_proof");
    }

    [Fact]
    public async Task A_proof_with_a_broken_signature_is_refused()
    {
        var token = BoundToken();
        var proof = Proofs.For(_clientKey, "GET", OrdersUrl, token, Now);
        var broken = proof[..^4] + (proof[^4] == 'A' ? "B" : "A") + proof[^3..];

        (await SendAsync(token, broken)).AssertError(401, "DPoP", "invalid_dpop_proof");
        (await SendAsync(token, "not-a-jwt")).AssertError(401, "DPoP", "invalid_dpop_proof");
    }
}

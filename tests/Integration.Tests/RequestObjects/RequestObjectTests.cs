using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.PushedAuthorization;
using AuthService.Integration.Tests.SignIn;
using Microsoft.AspNetCore.WebUtilities;
using static AuthService.Integration.Tests.PushedAuthorization.PushedClients;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.RequestObjects;

/// <summary>Signed request objects by value (RFC 9101) at the authorization endpoint and inside a pushed request (RFC 9126 §3).</summary>
public sealed class RequestObjectTests(PushedAuthorizationFixture server) : IClassFixture<PushedAuthorizationFixture>
{
    private static JsonObject Header(string alg = "ES256") => new() { ["alg"] = alg, ["kid"] = PJKid, ["typ"] = "oauth-authz-req+jwt" };

    private static JsonObject Claims(PkcePair pkce, string state = "jar-state")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = PJ,
            ["aud"] = TestClients.Issuer,
            ["iat"] = now,
            ["nbf"] = now - 5,
            ["exp"] = now + 300,
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        foreach (var (name, value) in Parameters(PJ, PJRedirect, "openid api.read", pkce, state))
        {
            claims[name] = value;
        }

        return claims;
    }

    private static string Sign(JsonObject claims, JsonObject? header = null, ECDsa? key = null) =>
        Jose.SignEs256(header ?? Header(), Jose.Encode(claims.ToJsonString()), key ?? PJKey);

    private static string AuthorizeUrl(string requestObject, string clientId = PJ, params (string Name, string Value)[] extra)
    {
        var parameters = new List<KeyValuePair<string, string?>> { new("client_id", clientId), new("request", requestObject) };
        parameters.AddRange(extra.Select(e => new KeyValuePair<string, string?>(e.Name, e.Value)));
        return QueryHelpers.AddQueryString("/connect/authorize", parameters);
    }

    private async Task AssertRefusedAsync(string requestObject, string clientId = PJ)
    {
        using var browser = server.NewBrowser();
        using var response = await browser.GetAsync(AuthorizeUrl(requestObject, clientId));
        await AssertErrorPageAsync(response, "invalid_request_object");
    }

    // RFC 9101 §5, §6.3: only the parameters inside the object count; the flow then runs as usual, through the pages.
    [Fact]
    public async Task A_signed_request_object_goes_through_sign_in_and_consent_to_a_code()
    {
        var pkce = PkcePair.New();
        using var browser = server.NewBrowser();

        using var response = await browser.AuthorizeAsync(AuthorizeUrl(Sign(Claims(pkce)), PJ,
            ("state", "query-state"), ("scope", "openid profile"), ("redirect_uri", "https://evil.com/cb")), SignInClients.BobUsername, SignInClients.BobPassword);

        var code = AssertCode(response, PJRedirect, state: "jar-state");
        using var token = await CodeFlowTokens.RedeemAsync(server.Client, PJ, PJSecret, code, pkce.Verifier, PJRedirect);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal("openid api.read", JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("scope").GetString());
    }

    // RFC 9126 §3: a request object pushed; the pushed request is then used by request_uri.
    [Fact]
    public async Task A_request_object_inside_a_pushed_request_works()
    {
        var pkce = PkcePair.New();
        var form = new Dictionary<string, string> { ["request"] = Sign(Claims(pkce)) };
        var requestUri = await PushedRequestUriAsync(server.Client, form, PJ, PJSecret);
        using var browser = server.NewBrowser();

        using var response = await browser.AuthorizeAsync(PushedClients.AuthorizeUrl(PJ, requestUri));

        var code = AssertCode(response, PJRedirect, state: "jar-state");
        using var token = await CodeFlowTokens.RedeemAsync(server.Client, PJ, PJSecret, code, pkce.Verifier, PJRedirect);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    // OIDC Core §6.1: claims inside a request object is a JSON object; its acr is honoured (§5.5.1.1) as in the query.
    [Fact]
    public async Task The_claims_object_inside_a_request_object_is_honoured_and_checked()
    {
        using var browser = server.NewBrowser();
        var essential = Claims(PkcePair.New());
        essential["claims"] = JsonNode.Parse("""{"id_token":{"acr":{"essential":true,"values":["urn:example:gold"]}}}""");
        using var unmet = await browser.GetAsync(AuthorizeUrl(Sign(essential)));
        AssertRedirectError(unmet, PJRedirect, "unmet_authentication_requirements", state: "jar-state");

        var malformed = Claims(PkcePair.New());
        malformed["claims"] = JsonNode.Parse("""{"id_token":{"acr":{"essential":"yes"}}}""");
        using var refused = await browser.GetAsync(AuthorizeUrl(Sign(malformed)));
        AssertRedirectError(refused, PJRedirect, "invalid_request", state: "jar-state");

        var voluntary = Claims(PkcePair.New());
        voluntary["claims"] = JsonNode.Parse("""{"id_token":{"acr":{"values":["urn:example:gold"]}}}""");
        using var response = await browser.AuthorizeAsync(AuthorizeUrl(Sign(voluntary)), SignInClients.BobUsername, SignInClients.BobPassword);
        AssertCode(response, PJRedirect, state: "jar-state");
    }

    [Fact]
    public async Task A_request_object_signed_by_another_key_is_refused()
    {
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        await AssertRefusedAsync(Sign(Claims(PkcePair.New()), key: attacker));
    }

    [Fact]
    public async Task An_unsigned_request_object_is_refused()
    {
        var header = Jose.Encode(new JsonObject { ["alg"] = "none", ["typ"] = "oauth-authz-req+jwt" }.ToJsonString());

        await AssertRefusedAsync(header + "." + Jose.Encode(Claims(PkcePair.New()).ToJsonString()) + ".");
    }

    // CVE-2016-10555: the client's public key presented as an HMAC secret.
    [Fact]
    public async Task An_HS256_request_object_keyed_with_the_clients_public_key_is_refused()
    {
        var header = Header("HS256");
        var payload = Jose.Encode(Claims(PkcePair.New()).ToJsonString());

        await AssertRefusedAsync(Jose.SignHs256(header, payload, Encoding.UTF8.GetBytes(PJPublicJwk().ToJsonString())));
        await AssertRefusedAsync(Jose.SignHs256(header, payload, Encoding.UTF8.GetBytes(PJSecret)));
    }

    public static TheoryData<string, string?> WrongClaims => new()
    {
        { "aud", "https://other-issuer.example" },
        { "aud", null },
        { "iss", SignInClients.CW },
        { "iss", null },
        { "client_id", SignInClients.CW },
        { "exp", null },
        { "jti", null },
        { "request_uri", "urn:ietf:params:oauth:request_uri:abc" },
    };

    [Theory]
    [MemberData(nameof(WrongClaims))]
    public async Task A_request_object_with_a_wrong_or_missing_claim_is_refused(string claim, string? value)
    {
        var claims = Claims(PkcePair.New());
        claims[claim] = value;
        if (value is null)
        {
            claims.Remove(claim);
        }

        await AssertRefusedAsync(Sign(claims));
    }

    [Theory]
    [InlineData(-10, -5)] // expired
    [InlineData(120, 300)] // not yet valid
    [InlineData(0, 3700)] // lives longer than an hour
    public async Task A_request_object_outside_its_lifetime_is_refused(int nbfOffset, int expOffset)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = Claims(PkcePair.New());
        claims["nbf"] = now + nbfOffset;
        claims["exp"] = now + expOffset;

        await AssertRefusedAsync(Sign(claims));
    }

    private async Task AssertAcceptedAsync(string requestObject)
    {
        using var browser = server.NewBrowser();
        using var response = await browser.AuthorizeAsync(AuthorizeUrl(requestObject));
        AssertCode(response, PJRedirect, state: "jar-state");
    }

    // FAPI 2.0 Security Profile §5.3.2.1: a client whose clock runs a few seconds fast is accepted (conformance suite:
    // nbf 8 s in the future), one more than 60 s ahead is refused.
    [Theory]
    [InlineData("nbf")]
    [InlineData("iat")]
    public async Task A_request_object_a_few_seconds_ahead_is_accepted(string claim)
    {
        var claims = Claims(PkcePair.New());
        claims[claim] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 8;

        await AssertAcceptedAsync(Sign(claims));
    }

    [Theory]
    [InlineData("nbf", 70)]
    [InlineData("iat", 70)]
    [InlineData("iat", 3600)]
    public async Task A_request_object_more_than_a_minute_ahead_is_refused(string claim, int seconds)
    {
        var claims = Claims(PkcePair.New());
        claims[claim] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + seconds;

        await AssertRefusedAsync(Sign(claims));
    }

    [Fact]
    public async Task A_request_object_with_an_iat_that_is_not_a_number_is_refused()
    {
        var claims = Claims(PkcePair.New());
        claims["iat"] = "now";

        await AssertRefusedAsync(Sign(claims));
    }

    // RFC 8037 §3.1: EdDSA with the Ed25519 key the client registered, like ES256 and PS256.
    [Fact]
    public async Task An_EdDSA_request_object_signed_with_the_clients_Ed25519_key_is_accepted()
    {
        var header = new JsonObject { ["alg"] = "EdDSA", ["kid"] = PJEdKid, ["typ"] = "oauth-authz-req+jwt" };

        await AssertAcceptedAsync(PJEdKey.Sign(Jose.Encode(header.ToJsonString()) + "." + Jose.Encode(Claims(PkcePair.New()).ToJsonString())));
    }

    [Theory]
    [InlineData(PJEdKid)]
    [InlineData(PJKid)]
    public async Task An_EdDSA_request_object_signed_with_another_Ed25519_key_is_refused(string kid)
    {
        using var attacker = DPoP.DPoPKey.EdDsa();
        var header = new JsonObject { ["alg"] = "EdDSA", ["kid"] = kid, ["typ"] = "oauth-authz-req+jwt" };

        await AssertRefusedAsync(attacker.Sign(Jose.Encode(header.ToJsonString()) + "." + Jose.Encode(Claims(PkcePair.New()).ToJsonString())));
    }

    // RFC 7519 §4.1.3: aud may be an array; it is accepted when it holds this issuer (conformance suite: multiple aud).
    [Fact]
    public async Task A_request_object_whose_aud_array_holds_the_issuer_is_accepted()
    {
        var claims = Claims(PkcePair.New());
        claims["aud"] = new JsonArray(TestClients.Issuer, "https://other.example");

        await AssertAcceptedAsync(Sign(claims));
    }

    [Theory]
    [InlineData("JWT+other")]
    [InlineData("at+jwt")]
    public async Task A_request_object_with_another_type_is_refused(string typ)
    {
        var header = Header();
        header["typ"] = typ;

        await AssertRefusedAsync(Sign(Claims(PkcePair.New()), header));
    }

    // RFC 9101 §5: the client_id parameter must be the object's issuer; and a client without keys has nothing to verify with.
    [Fact]
    public async Task A_request_object_sent_for_another_client_is_refused()
    {
        await AssertRefusedAsync(Sign(Claims(PkcePair.New())), clientId: SignInClients.CW);
    }

    // The jti is single use (across replicas: the shared replay cache).
    [Fact]
    public async Task A_replayed_request_object_is_refused()
    {
        var requestObject = Sign(Claims(PkcePair.New()));
        using var browser = server.NewBrowser();
        await AssertLoginPageAsync(await browser.GetAsync(AuthorizeUrl(requestObject)));

        await AssertRefusedAsync(requestObject);
    }

    [Fact]
    public async Task A_bad_request_object_at_the_pushed_endpoint_is_invalid_request_object_and_stores_nothing()
    {
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var before = await StoredRequestsAsync(server.Database);

        using var response = await PushAsync(server.Client, new Dictionary<string, string> { ["request"] = Sign(Claims(PkcePair.New()), key: attacker) }, PJ, PJSecret);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_object");
        Assert.Equal(before, await StoredRequestsAsync(server.Database));
    }

    [Fact]
    public async Task A_request_object_for_a_client_that_must_push_is_refused_unless_pushed()
    {
        using var browser = server.NewBrowser();
        var claims = Claims(PkcePair.New());
        claims["iss"] = PR;
        claims["client_id"] = PR;

        using var response = await browser.GetAsync(AuthorizeUrl(Sign(claims), PR));

        await AssertErrorPageAsync(response);
    }

    [Fact]
    public async Task Request_and_request_uri_together_are_refused()
    {
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(AuthorizeUrl(Sign(Claims(PkcePair.New())), PJ, ("request_uri", RequestUriPrefix + "abc")));

        await AssertErrorPageAsync(response);
    }
}

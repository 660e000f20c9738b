using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.DPoP;

/// <summary>
/// Every check of RFC 9449 §4.3 at the token endpoint, one broken rule per test (the conformance suite's DPoP
/// negative tests), against the real pipeline and PostgreSQL. A failed check is 400 <c>invalid_dpop_proof</c>
/// and issues nothing; a good proof binds the token (<c>cnf.jkt</c>, §6.1) and says <c>token_type: DPoP</c> (§5).
/// </summary>
public sealed class DPoPProofTests(DPoPFixture fixture) : IClassFixture<DPoPFixture>
{
    private readonly DPoPKey _key = DPoPKey.Es256();

    private async Task RefusedAsync(params string[] proofs) =>
        await OAuthAssert.TokenErrorAsync(await fixture.ClientCredentialsAsync(proofs: proofs), HttpStatusCode.BadRequest, "invalid_dpop_proof");

    private async Task<string> AcceptedAsync(DPoPKey key, string proof, string headerName = "DPoP")
    {
        var body = await OAuthAssert.TokenSuccessAsync(await fixture.ClientCredentialsAsync(headerName: headerName, proofs: proof), tokenType: "DPoP");
        var accessToken = body.GetProperty("access_token").GetString()!;
        Assert.Equal(key.Thumbprint(), DPoPFixture.CnfJkt(accessToken));
        return accessToken;
    }

    [Fact]
    public async Task A_valid_ES256_proof_binds_the_access_token_to_the_key() => await AcceptedAsync(_key, _key.Proof());

    [Fact]
    public async Task A_valid_RS256_proof_is_accepted()
    {
        using var rsa = DPoPKey.Rs256();
        await AcceptedAsync(rsa, rsa.Proof());
    }

    [Fact]
    public async Task A_valid_EdDSA_proof_is_accepted()
    {
        using var ed = DPoPKey.EdDsa();
        await AcceptedAsync(ed, ed.Proof());
    }

    [Fact]
    public async Task Without_a_proof_the_token_stays_a_bearer_token()
    {
        var body = await OAuthAssert.TokenSuccessAsync(await fixture.ClientCredentialsAsync());
        Assert.Null(Jose.Payload(body.GetProperty("access_token").GetString()!)["cnf"]);
    }

    [Fact]
    public async Task The_header_name_is_case_insensitive() => await AcceptedAsync(_key, _key.Proof(), headerName: "DPOP");

    [Fact]
    public async Task Introspection_shows_the_binding_and_the_DPoP_token_type()
    {
        var accessToken = await AcceptedAsync(_key, _key.Proof());

        var body = await BackChannel.ActiveAsync(await fixture.Client.IntrospectAsync(accessToken, BackChannel.C1Basic));

        Assert.Equal(_key.Thumbprint(), body.GetProperty("cnf").GetProperty("jkt").GetString());
        Assert.Equal("DPoP", body.GetProperty("token_type").GetString());
    }

    // §4.3 item 1
    [Fact]
    public async Task Two_DPoP_headers_are_refused() => await RefusedAsync(_key.Proof(), _key.Proof());

    // §4.3 item 2
    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.b.c")]
    [InlineData("eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.A")]
    [InlineData("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d")]
    public async Task A_proof_that_is_not_a_compact_JWS_is_refused(string proof) => await RefusedAsync(proof);

    // §4.3 item 3: every required member, one missing at a time.
    [Theory]
    [InlineData("typ")]
    [InlineData("alg")]
    [InlineData("jwk")]
    public async Task A_proof_without_a_required_header_member_is_refused(string member) =>
        await RefusedAsync(_key.Proof(header: h => h.Remove(member)));

    [Theory]
    [InlineData("jti")]
    [InlineData("htm")]
    [InlineData("htu")]
    [InlineData("iat")]
    public async Task A_proof_without_a_required_claim_is_refused(string claim) =>
        await RefusedAsync(_key.Proof(claims: c => c.Remove(claim)));

    // §4.3 item 4
    [Theory]
    [InlineData("JWT")]
    [InlineData("at+jwt")]
    public async Task A_typ_other_than_dpop_jwt_is_refused(string typ) => await RefusedAsync(_key.Proof(header: h => h["typ"] = typ));

    // §4.3 item 5
    [Fact]
    public async Task Alg_none_is_refused()
    {
        var unsigned = Jose.Encode(new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = "none", ["jwk"] = _key.PublicJwk() }.ToJsonString())
            + "." + Jose.Split(_key.Proof()).Payload + ".";
        await RefusedAsync(unsigned);
    }

    [Fact]
    public async Task HS256_keyed_with_the_public_jwk_is_refused()
    {
        // CVE-2024-37568: an HMAC keyed with public key material must never verify.
        var proof = _key.Proof();
        var header = Jose.Header(proof);
        header["alg"] = "HS256";
        await RefusedAsync(Jose.SignHs256(header, Jose.Split(proof).Payload, Encoding.UTF8.GetBytes(_key.PublicJwk().ToJsonString())));
    }

    [Fact]
    public async Task An_alg_that_does_not_fit_the_key_is_refused()
    {
        var proof = _key.Proof(header: h => h["alg"] = "ES384");
        await RefusedAsync(proof);
    }

    // §4.3 item 6
    [Fact]
    public async Task A_proof_whose_signature_does_not_verify_is_refused()
    {
        var proof = _key.Proof();
        await RefusedAsync(Jose.WithPayload(proof, c => c["jti"] = "changed-after-signing"));
    }

    [Fact]
    public async Task A_proof_signed_by_another_key_than_its_jwk_is_refused()
    {
        using var other = DPoPKey.Es256();
        await RefusedAsync(other.Proof(header: h => h["jwk"] = _key.PublicJwk()));
    }

    // §4.3 item 7
    [Fact]
    public async Task A_jwk_with_a_private_key_is_refused()
    {
        var d = _key.PrivateD();
        await RefusedAsync(_key.Proof(header: h => h["jwk"]!["d"] = d));
    }

    [Fact]
    public async Task A_jwk_with_only_a_kid_is_refused() =>
        await RefusedAsync(_key.Proof(header: h => h["jwk"] = new JsonObject { ["kid"] = "client-key-1" }));

    [Fact]
    public async Task A_symmetric_jwk_is_refused() =>
        await RefusedAsync(_key.Proof(header: h => h["jwk"] = new JsonObject { ["kty"] = "oct", ["k"] = "c2VjcmV0LWtleS1tYXRlcmlhbC0wMTIzNDU2Nzg5" }));

    // §4.3 item 8
    [Theory]
    [InlineData("PUT")]
    [InlineData("GET")]
    [InlineData("post")]
    public async Task A_proof_for_another_method_is_refused(string method) => await RefusedAsync(_key.Proof(method: method));

    // §4.3 item 9
    [Theory]
    [InlineData("https://issuer.test/connect/userinfo")]
    [InlineData("https://attacker.example/connect/token")]
    [InlineData("http://issuer.test/connect/token")]
    [InlineData("https://issuer.test:8443/connect/token")]
    [InlineData("/connect/token")]
    public async Task A_proof_for_another_URL_is_refused(string htu) => await RefusedAsync(_key.Proof(url: htu));

    [Theory]
    [InlineData("https://issuer.test/connect/token?x=1")]
    [InlineData("https://issuer.test/connect/token#frag")]
    [InlineData("https://ISSUER.test:443/connect/token")]
    [InlineData("HTTPS://issuer.test/connect/./token")]
    [InlineData("https://issuer.test/connect/%74oken")]
    public async Task A_proof_whose_htu_differs_only_by_query_fragment_or_normalisation_is_accepted(string htu) =>
        await AcceptedAsync(_key, _key.Proof(url: htu));

    [Fact]
    public async Task The_URL_comes_from_the_issuer_not_from_the_Host_header()
    {
        // The in-process server is reached as http://localhost; the proof must still name the configured issuer.
        await RefusedAsync(_key.Proof(url: fixture.Client.BaseAddress + "connect/token"));
    }

    // §4.3 item 11
    [Theory]
    [InlineData(-3600)]
    [InlineData(-61)]
    [InlineData(3600)]
    [InlineData(30)]
    public async Task A_proof_issued_outside_the_window_is_refused(int seconds) =>
        await RefusedAsync(_key.Proof(issuedAt: DateTimeOffset.UtcNow.AddSeconds(seconds)));

    [Theory]
    [InlineData(-10)]
    [InlineData(8)]
    public async Task A_proof_ten_seconds_old_or_a_few_seconds_ahead_is_accepted(int seconds) =>
        await AcceptedAsync(_key, _key.Proof(issuedAt: DateTimeOffset.UtcNow.AddSeconds(seconds)));

    // §4.3 item 10 and §11.1: single use.
    [Fact]
    public async Task The_same_proof_twice_is_refused_the_second_time()
    {
        var proof = _key.Proof();
        await AcceptedAsync(_key, proof);

        await RefusedAsync(proof);
    }

    [Fact]
    public async Task The_same_jti_in_a_new_proof_is_refused()
    {
        await AcceptedAsync(_key, _key.Proof(claims: c => c["jti"] = "reused-jti-1"));

        await RefusedAsync(_key.Proof(claims: c => c["jti"] = "reused-jti-1"));
    }

    [Fact]
    public async Task A_proof_with_an_unknown_critical_header_is_refused() =>
        await RefusedAsync(_key.Proof(header: h => h["crit"] = new JsonArray("bork")));

    // §5.2: a client registered with dpop_bound_access_tokens.
    [Fact]
    public async Task A_client_that_must_use_DPoP_is_refused_without_a_proof() =>
        await OAuthAssert.TokenErrorAsync(
            await fixture.ClientCredentialsAsync(DPoPFixture.CD, DPoPFixture.CDSecret), HttpStatusCode.BadRequest, "invalid_dpop_proof");

    [Fact]
    public async Task A_client_that_must_use_DPoP_gets_a_bound_token_with_a_proof() =>
        await OAuthAssert.TokenSuccessAsync(
            await fixture.ClientCredentialsAsync(DPoPFixture.CD, DPoPFixture.CDSecret, proofs: _key.Proof()), tokenType: "DPoP");

    // §5.1
    [Fact]
    public async Task Discovery_lists_the_proof_algorithms_without_none_or_HMAC()
    {
        var document = await (await fixture.Client.GetAsync("/.well-known/openid-configuration")).JsonAsync();
        var algs = document.GetProperty("dpop_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()).ToList();

        Assert.Contains("ES256", algs);
        Assert.Contains("EdDSA", algs);
        Assert.DoesNotContain("none", algs);
        Assert.DoesNotContain(algs, a => a!.StartsWith("HS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_DPoP_bound_admin_token_is_not_accepted_as_a_bearer_token()
    {
        var body = await OAuthAssert.TokenSuccessAsync(await fixture.ClientCredentialsAsync(AdminClients.Admin, AdminClients.AdminSecret, proofs: _key.Proof()), tokenType: "DPoP");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/audit-events?limit=1");
        request.Headers.Authorization = new("Bearer", body.GetProperty("access_token").GetString());

        var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var admin = await fixture.AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/audit-events?limit=1")).StatusCode);
    }
}

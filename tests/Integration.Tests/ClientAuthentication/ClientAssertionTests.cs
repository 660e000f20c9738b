using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;
using static AuthService.Integration.Tests.ClientAuthentication.ClientAssertionFixture;

namespace AuthService.Integration.Tests.ClientAuthentication;

/// <summary>
/// private_key_jwt and client_secret_jwt (OIDC Core §9; RFC 7523 §2.2, §3) through the real pipeline and PostgreSQL:
/// the accepted assertions, and every refused one answered invalid_client without spending its jti.
/// </summary>
public sealed class ClientAssertionTests(ClientAssertionFixture server) : IClassFixture<ClientAssertionFixture>
{
    private readonly HttpClient _client = server.Client;

    private async Task AcceptedAsync(string assertion) => await OAuthAssert.TokenSuccessAsync(await _client.TokenAsync(assertion));

    [Fact]
    public async Task Private_key_jwt_with_an_ES256_key_registered_by_value_gets_a_token()
    {
        var body = await OAuthAssert.TokenSuccessAsync(await _client.TokenAsync(Assertions.Es256(Assertions.Claims(EcClient), server.EcKey, "ec-1")));

        var payload = Jose.Payload(body.GetProperty("access_token").GetString()!);
        Assert.Equal(EcClient, payload["client_id"]!.GetValue<string>());
    }

    // OIDC Core §9: the token endpoint URL is an accepted audience too.
    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha256)]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha256)]
    public async Task Private_key_jwt_with_an_RSA_key_and_the_token_endpoint_as_audience_gets_a_token(string algorithm)
    {
        var claims = Assertions.Claims(RsaClient, audience: TestClients.Issuer + Protocol.TokenPath);

        await AcceptedAsync(Assertions.Sign(claims, new RsaSecurityKey(server.RsaKey) { KeyId = "rsa-1" }, algorithm));
    }

    // RFC 8037 §3.1: an Ed25519 key registered as an OKP JWK; a wrong signature is refused.
    [Fact]
    public async Task Private_key_jwt_with_an_Ed25519_key_gets_a_token()
    {
        await AcceptedAsync(Assertions.EdDsa(Assertions.Claims(EdClient), server.EdKey, "ed-1"));

        var other = new Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom());
        await Assertions.InvalidClientAsync(await _client.TokenAsync(Assertions.EdDsa(Assertions.Claims(EdClient), other, "ed-1")));
    }

    [Fact]
    public async Task A_body_client_id_equal_to_the_assertion_subject_is_accepted()
    {
        var assertion = Assertions.Es256(Assertions.Claims(EcClient), server.EcKey, "ec-1");

        await OAuthAssert.TokenSuccessAsync(await _client.TokenAsync(assertion, ("client_id", EcClient)));
    }

    [Fact]
    public async Task Client_secret_jwt_seeded_with_a_256_bit_secret_gets_a_token()
    {
        await AcceptedAsync(Assertions.Hs256(Assertions.Claims(SecretJwtClient), SecretJwtSecret));
    }

    // The generated secret is shown once by the admin API, then keys the client's HMAC (OIDC Core §9).
    [Fact]
    public async Task Client_secret_jwt_registered_through_the_admin_API_authenticates_with_its_generated_secret()
    {
        using var admin = await server.AdminAsync();
        var registered = await (await admin.PostAsync("/admin/clients", Infrastructure.Admin.Json(new JsonObject
        {
            ["client_id"] = "CSJ-ADMIN",
            ["token_endpoint_auth_method"] = "client_secret_jwt",
            ["grant_types"] = new JsonArray("client_credentials"),
            ["scope"] = "api.read",
        }.ToJsonString()))).ExpectAsync(HttpStatusCode.Created);
        var secret = registered.GetProperty("client_secret").GetString()!;

        await AcceptedAsync(Assertions.Hs256(Assertions.Claims("CSJ-ADMIN"), secret));
        await Assertions.InvalidClientAsync(await _client.TokenAsync(Assertions.Hs256(Assertions.Claims("CSJ-ADMIN"), secret + "x")));
    }

    [Fact]
    public async Task Introspection_and_revocation_accept_private_key_jwt()
    {
        var token = (await OAuthAssert.TokenSuccessAsync(await _client.TokenAsync(Assertions.Es256(Assertions.Claims(EcClient), server.EcKey, "ec-1"))))
            .GetProperty("access_token").GetString()!;
        var introspect = await _client.PostTokenAsync(
            Protocol.Form([("token", token), .. Assertions.Parameters(Assertions.Es256(Assertions.Claims(EcClient), server.EcKey, "ec-1"))]),
            path: BackChannel.IntrospectionPath);
        await BackChannel.ActiveAsync(introspect);

        var revoke = await _client.PostTokenAsync(
            Protocol.Form([("token", token), .. Assertions.Parameters(Assertions.Es256(Assertions.Claims(EcClient), server.EcKey, "ec-1"))]),
            path: BackChannel.RevocationPath);
        await BackChannel.RevokedAsync(revoke);
    }

    // RFC 7523 §3 item 7: a jti is used once.
    [Fact]
    public async Task A_replayed_assertion_is_invalid_client()
    {
        var assertion = Assertions.Es256(Assertions.Claims(EcClient), server.EcKey, "ec-1");
        await AcceptedAsync(assertion);

        await Assertions.InvalidClientAsync(await _client.TokenAsync(assertion));
    }

    // FAPI 2.0 Security Profile §5.3.2.1: iat and nbf a few seconds ahead (a client's clock running fast) are accepted.
    [Theory]
    [InlineData("iat")]
    [InlineData("nbf")]
    public async Task An_assertion_issued_a_few_seconds_ahead_is_accepted(string claim)
    {
        var claims = Assertions.Claims(EcClient);
        claims[claim] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 8;

        await AcceptedAsync(Assertions.Es256(claims, server.EcKey, "ec-1"));
    }

    /// <summary>An assertion of the EC client with its claims changed, signed by the right key unless the case says otherwise.</summary>
    public static TheoryData<string> Attacks => new()
    {
        "audience of another server", "audience is the introspection endpoint", "audience array with another member", "expired",
        "exp too far ahead", "no exp", "exp beyond year 9999", "exp not a number", "no jti", "iss is not sub", "iat in the future", "nbf in the future", "wrong key", "alg none",
        "typ of an access token", "crit header", "JWE", "body client_id of another client",
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task A_forged_or_misaddressed_assertion_is_invalid_client_and_spends_nothing(string attack)
    {
        var jti = Guid.NewGuid().ToString("N");
        var claims = Assertions.Claims(EcClient, jti: jti);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var sign = (JsonObject c) => Assertions.Es256(c, server.EcKey, "ec-1");
        (string Name, string Value)[] extra = [];
        string assertion;
        switch (attack)
        {
            case "audience of another server": claims["aud"] = "https://other-issuer.test"; assertion = sign(claims); break;
            case "audience is the introspection endpoint": claims["aud"] = TestClients.Issuer + BackChannel.IntrospectionPath; assertion = sign(claims); break;
            case "audience array with another member": claims["aud"] = new JsonArray(TestClients.Issuer, "https://other-issuer.test"); assertion = sign(claims); break;
            case "expired": claims["exp"] = now - 120; assertion = sign(claims); break;
            case "exp too far ahead": claims["exp"] = now + 3600; assertion = sign(claims); break;
            case "no exp": claims.Remove("exp"); assertion = sign(claims); break;
            case "exp beyond year 9999": claims["exp"] = 10_000_000_000_000L; assertion = sign(claims); break;
            case "exp not a number": claims["exp"] = "soon"; assertion = sign(claims); break;
            case "no jti": claims.Remove("jti"); assertion = sign(claims); break;
            case "iss is not sub": claims["iss"] = "C1"; assertion = sign(claims); break;
            case "iat in the future": claims["iat"] = now + 70; assertion = sign(claims); break;
            case "nbf in the future": claims["nbf"] = now + 70; assertion = sign(claims); break;
            case "wrong key":
                using (var other = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    assertion = Assertions.Es256(claims, other, "ec-1");
                }

                break;
            case "alg none": assertion = Jose.Encode("""{"alg":"none","typ":"JWT"}""") + "." + Jose.Encode(claims.ToJsonString()) + "."; break;
            case "typ of an access token":
                assertion = Assertions.Sign(claims, new ECDsaSecurityKey(server.EcKey) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha256,
                    new Dictionary<string, object> { ["typ"] = "at+jwt" });
                break;
            case "crit header":
                assertion = Assertions.Sign(claims, new ECDsaSecurityKey(server.EcKey) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha256,
                    new Dictionary<string, object> { ["crit"] = new[] { "x-unknown" }, ["x-unknown"] = true });
                break;
            case "JWE": assertion = Jose.Encode("""{"alg":"dir","enc":"A128GCM"}""") + ".." + Jose.Encode("iv") + "." + Jose.Encode(claims.ToJsonString()) + "." + Jose.Encode("tag"); break;
            case "body client_id of another client": assertion = sign(claims); extra = [("client_id", "C1")]; break;
            default: throw new ArgumentOutOfRangeException(nameof(attack));
        }

        await Assertions.InvalidClientAsync(await _client.TokenAsync(assertion, extra));

        // The refused assertion wrote nothing: its jti is still unused.
        await AcceptedAsync(sign(Assertions.Claims(EcClient, jti: jti)));
    }

    // CVE-2016-10555: an HS256 MAC keyed with the client's RSA public key must never verify.
    [Theory]
    [InlineData("pem")]
    [InlineData("der")]
    public async Task HS256_keyed_with_the_clients_RSA_public_key_is_invalid_client(string encoding)
    {
        var publicKey = encoding == "pem"
            ? Encoding.ASCII.GetBytes(server.RsaKey.ExportSubjectPublicKeyInfoPem())
            : server.RsaKey.ExportSubjectPublicKeyInfo();
        var assertion = Jose.SignHs256(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = "rsa-1" }, Jose.Encode(Assertions.Claims(RsaClient).ToJsonString()), publicKey);

        await Assertions.InvalidClientAsync(await _client.TokenAsync(assertion));
    }

    // Only the registered method authenticates: an RS256 assertion for a client_secret_jwt client, and an HMAC for a private_key_jwt one.
    [Fact]
    public async Task An_assertion_of_the_other_method_is_invalid_client()
    {
        await Assertions.InvalidClientAsync(await _client.TokenAsync(
            Assertions.Sign(Assertions.Claims(SecretJwtClient), new RsaSecurityKey(server.RsaKey), SecurityAlgorithms.RsaSha256)));
        await Assertions.InvalidClientAsync(await _client.TokenAsync(Assertions.Hs256(Assertions.Claims(EcClient), SecretJwtSecret)));
    }

    // A client registered for an assertion method cannot use its secret, and a secret client cannot present an assertion.
    [Fact]
    public async Task Secrets_and_assertions_do_not_stand_in_for_each_other()
    {
        var basic = await _client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(SecretJwtClient, SecretJwtSecret));
        await OAuthAssert.TokenErrorAsync(basic, HttpStatusCode.Unauthorized, "invalid_client");

        await Assertions.InvalidClientAsync(await _client.TokenAsync(Assertions.Hs256(Assertions.Claims(TestClients.C1), TestClients.C1Secret)));
    }

    // FAPI 2.0 (rfc7523bis audience; Security Profile §5.4 algorithms): the issuer is the only audience, RS256 is refused.
    [Fact]
    public async Task A_fapi2_client_takes_only_the_issuer_as_audience_and_only_the_FAPI_algorithms()
    {
        // A fapi2 client's tokens are sender-constrained (FAPI 2.0 Security Profile §5.3.2.1): it sends a DPoP proof.
        using var dpop = DPoP.DPoPKey.Es256();
        foreach (var accepted in new[]
        {
            Assertions.Es256(Assertions.Claims(FapiClient), server.EcKey, "ec-1"),
            Assertions.Sign(Assertions.Claims(FapiClient), new RsaSecurityKey(server.RsaKey) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSsaPssSha256),
        })
        {
            using var request = Protocol.TokenRequest(Protocol.Form([("grant_type", "client_credentials"), .. Assertions.Parameters(accepted)]));
            request.Headers.Add("DPoP", dpop.Proof());
            await OAuthAssert.TokenSuccessAsync(await _client.SendAsync(request), tokenType: "DPoP");
        }

        await Assertions.InvalidClientAsync(await _client.TokenAsync(
            Assertions.Es256(Assertions.Claims(FapiClient, audience: TestClients.Issuer + Protocol.TokenPath), server.EcKey, "ec-1")));
        await Assertions.InvalidClientAsync(await _client.TokenAsync(
            Assertions.Sign(Assertions.Claims(FapiClient), new RsaSecurityKey(server.RsaKey) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha256)));
    }

    // RFC 7518 §3.2: an HS256 key is at least 256 bits; a shorter seeded secret fails safely.
    [Fact]
    public async Task Client_secret_jwt_with_a_secret_shorter_than_the_hash_is_invalid_client()
    {
        await Assertions.InvalidClientAsync(await _client.TokenAsync(Assertions.Hs256(Assertions.Claims(ShortSecretJwtClient), ShortSecret)));
    }

    // RFC 7521 §4.2: the type must be the JWT bearer type; both parameters go together; one method per request (OAuth 2.1 §2.4).
    [Fact]
    public async Task Malformed_assertion_requests_are_refused_with_the_RFC_error()
    {
        var assertion = Assertions.Es256(Assertions.Claims(EcClient), server.EcKey, "ec-1");

        await Assertions.InvalidClientAsync(await _client.PostTokenAsync(Protocol.Form(
            ("grant_type", "client_credentials"), ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"), ("client_assertion", assertion))));
        await OAuthAssert.TokenErrorAsync(await _client.PostTokenAsync(Protocol.Form(
            ("grant_type", "client_credentials"), ("client_assertion", assertion))), HttpStatusCode.BadRequest, "invalid_request");
        await OAuthAssert.TokenErrorAsync(await _client.PostTokenAsync(Protocol.Form(
            [("grant_type", "client_credentials"), ("client_secret", "x"), .. Assertions.Parameters(assertion)])), HttpStatusCode.BadRequest, "invalid_request");
        await Assertions.InvalidClientAsync(await _client.TokenAsync(new string('a', 9000) + "." + Jose.Encode("{}") + ".x"));
        await Assertions.InvalidClientAsync(await _client.TokenAsync("not-a-jws"));

        // None of these spent the assertion.
        await AcceptedAsync(assertion);
    }

    // RFC 6749 §5.2: a 401 challenge only when the Authorization header was used.
    [Fact]
    public async Task A_refused_assertion_is_a_400_without_a_challenge()
    {
        var response = await _client.TokenAsync(Assertions.Hs256(Assertions.Claims(SecretJwtClient), "wrong-secret-0123456789abcdef0123456789"));

        await Assertions.InvalidClientAsync(response);
        Assert.False(response.Headers.Contains("WWW-Authenticate"));
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Introspection;

/// <summary>
/// The standard clients, plus a client whose tokens are for the resource server <c>https://rs.example</c>
/// and that resource server, registered as a confidential client whose client_id is its audience
/// (docs/adr/0009).
/// </summary>
public sealed class IntrospectionFixture : AuthServerFixture
{
    public const string AudienceClient = "CR";
    public const string AudienceClientSecret = "cr-secret-0123456789abcdef";
    public const string ResourceServer = "https://rs.example";
    public const string ResourceServerSecret = "rs-secret-0123456789abcdef";

    protected override string SeedJson
    {
        get
        {
            var seed = TestClients.SeedDocument();
            var clients = seed["clients"]!.AsArray();
            clients.Add(TestClients.Client(AudienceClient, AudienceClientSecret, "client_secret_basic", ["client_credentials"], "api.read", audience: ResourceServer));
            clients.Add(TestClients.Client(ResourceServer, ResourceServerSecret, "client_secret_basic", ["client_credentials"], "api.read"));
            return seed.ToJsonString();
        }
    }
}

/// <summary>
/// Token introspection (RFC 7662 §2.1 §2.2, and the JOSE rows CVE-2024-37568,
/// ASVS 9.1.1, ASVS 1.5.3): who may learn what about a token, and that nothing but a token this server
/// signed, unaltered, is ever reported active.
/// </summary>
public sealed class IntrospectionTests(IntrospectionFixture server) : IClassFixture<IntrospectionFixture>
{
    private const string Challenge = "Basic realm=\"AuthService\", charset=\"UTF-8\"";

    private static readonly string[] ActiveMembers = ["active", "aud", "client_id", "exp", "iat", "iss", "jti", "nbf", "scope", "sub", "token_type"];

    private readonly HttpClient _client = server.Client;

    private static System.Net.Http.Headers.AuthenticationHeaderValue ResourceServerBasic =>
        Protocol.Basic(IntrospectionFixture.ResourceServer, IntrospectionFixture.ResourceServerSecret);

    // RFC 7662 §2.2, docs/adr/0009: every member, with the values of the token itself.
    [Fact]
    public async Task The_client_a_token_was_issued_to_sees_its_claims()
    {
        var token = await _client.C1TokenAsync("api.read");
        var jwt = AccessTokens.Read(token);

        var body = await BackChannel.ActiveAsync(await _client.IntrospectAsync(token, BackChannel.C1Basic));

        Assert.Equal(ActiveMembers, body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(TestClients.C1, body.GetProperty("client_id").GetString());
        Assert.Equal(TestClients.C1, body.GetProperty("sub").GetString());
        Assert.Equal("api.read", body.GetProperty("scope").GetString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(TestClients.Issuer, body.GetProperty("iss").GetString());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("aud").ValueKind);
        Assert.Equal([TestClients.Issuer], body.GetProperty("aud").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(jwt.Audiences, body.GetProperty("aud").EnumerateArray().Select(a => a.GetString()));
        foreach (var claim in new[] { "exp", "iat", "nbf" })
        {
            Assert.Equal(JsonValueKind.Number, body.GetProperty(claim).ValueKind);
            Assert.True(body.GetProperty(claim).TryGetInt64(out var seconds), $"{claim} is not an integer: {body}");
            Assert.Equal(jwt.GetPayloadValue<long>(claim), seconds);
        }

        Assert.True(body.GetProperty("exp").GetInt64() > body.GetProperty("iat").GetInt64());
        Assert.Equal(jwt.Id, body.GetProperty("jti").GetString());
    }

    // RFC 7662 §2.1: the hint is optional and, with one token format, changes nothing.
    [Theory]
    [InlineData("access_token")]
    [InlineData("refresh_token")]
    [InlineData("no_such_type")]
    public async Task A_token_type_hint_does_not_change_the_answer(string hint)
    {
        var token = await _client.C1TokenAsync();

        var response = await _client.PostTokenAsync(
            Protocol.Form(("token", token), ("token_type_hint", hint)), BackChannel.C1Basic, BackChannel.IntrospectionPath);

        var body = await BackChannel.ActiveAsync(response);
        Assert.Equal(AccessTokens.Read(token).Id, body.GetProperty("jti").GetString());
    }

    // client_secret_post works here too (the positive control of the wrong-secret test below).
    [Fact]
    public async Task A_client_authenticating_in_the_body_introspects_its_own_token()
    {
        var token = (await OAuthAssert.TokenSuccessAsync(await _client.PostTokenAsync(Protocol.Form(
            ("grant_type", "client_credentials"), ("client_id", TestClients.CP), ("client_secret", TestClients.CPSecret)))))
            .GetProperty("access_token").GetString()!;

        var response = await _client.PostTokenAsync(
            Protocol.Form(("token", token), ("client_id", TestClients.CP), ("client_secret", TestClients.CPSecret)), path: BackChannel.IntrospectionPath);

        Assert.Equal(TestClients.CP, (await BackChannel.ActiveAsync(response)).GetProperty("client_id").GetString());
    }

    // RFC 7662 §2.2 "other audience": a client that is neither the token's client nor its audience learns nothing.
    [Fact]
    public async Task Another_client_learns_only_that_the_token_is_inactive()
    {
        var token = await _client.C1TokenAsync();

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(token, BackChannel.C2Basic), "C2 introspects C1's token");

        // And the token is still active for its own client.
        await BackChannel.ActiveAsync(await _client.IntrospectAsync(token, BackChannel.C1Basic));
    }

    // docs/adr/0009: a resource server, registered as a client whose client_id is the audience, may introspect.
    [Fact]
    public async Task The_resource_server_named_in_aud_sees_the_token()
    {
        var token = await _client.TokenForAsync(IntrospectionFixture.AudienceClient, IntrospectionFixture.AudienceClientSecret);
        Assert.Equal([IntrospectionFixture.ResourceServer], AccessTokens.Read(token).Audiences);

        var body = await BackChannel.ActiveAsync(await _client.IntrospectAsync(token, ResourceServerBasic));

        Assert.Equal(IntrospectionFixture.AudienceClient, body.GetProperty("client_id").GetString());
        Assert.Equal([IntrospectionFixture.ResourceServer], body.GetProperty("aud").EnumerateArray().Select(a => a.GetString()));
        await BackChannel.ActiveAsync(await _client.IntrospectAsync(
            token, Protocol.Basic(IntrospectionFixture.AudienceClient, IntrospectionFixture.AudienceClientSecret)));
    }

    // RFC 7662 §2.2: the audience rule is exact, both ways.
    [Fact]
    public async Task Clients_that_are_not_the_audience_see_an_audience_token_as_inactive()
    {
        var audienceToken = await _client.TokenForAsync(IntrospectionFixture.AudienceClient, IntrospectionFixture.AudienceClientSecret);
        var c1Token = await _client.C1TokenAsync();

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(audienceToken, BackChannel.C2Basic), "C2, not the audience");
        await BackChannel.InactiveAsync(await _client.IntrospectAsync(audienceToken, BackChannel.C1Basic), "C1, not the audience");
        await BackChannel.InactiveAsync(await _client.IntrospectAsync(c1Token, ResourceServerBasic), "the RS, for a token whose aud is the issuer");
    }

    public static TheoryData<string, string> GarbageTokens => new()
    {
        { "unknown", "abc" },
        { "three empty-ish segments", "a.b.c" },
        { "9 KB", new string('a', 9 * 1024) },
        { "9 KB in three segments", new string('a', 3 * 1024) + "." + new string('b', 3 * 1024) + "." + new string('c', 3 * 1024) },
        { "JWE-shaped (5 parts)", "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.ZW5j.aXY.Y2lwaGVy.dGFn" },
        { "two dots, valid base64url, not JSON", "YWJj.ZGVm.Z2hp" },
        { "whitespace", " " },
    };

    // RFC 7662 §2.2: unknown and malformed tokens are inactive, never an error that tells them apart.
    [Theory]
    [MemberData(nameof(GarbageTokens))]
    public async Task Garbage_is_inactive(string kind, string token)
    {
        await BackChannel.InactiveAsync(await _client.IntrospectAsync(token, BackChannel.C1Basic), kind);
    }

    // The 8 KiB bound applies even to a JWT-shaped string built from a real token.
    [Fact]
    public async Task A_real_token_grown_beyond_8_KiB_is_inactive()
    {
        var token = Jose.WithPayload(await _client.C1TokenAsync(), payload => payload["pad"] = new string('x', 9 * 1024));

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(token, BackChannel.C1Basic));
    }

    // RFC 6749 §3.1: a parameter without a value is treated as omitted.
    [Theory]
    [InlineData("token_type_hint=access_token")]
    [InlineData("token=")]
    [InlineData("token")]
    public async Task A_missing_or_empty_token_is_invalid_request(string body)
    {
        var response = await _client.PostTokenAsync(body, BackChannel.C1Basic, BackChannel.IntrospectionPath);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    // RFC 7662 §2.1: no client authentication, no answer about the token (RFC 7662 §2.1, §2.3).
    [Fact]
    public async Task Introspection_without_client_authentication_is_401()
    {
        var token = await _client.C1TokenAsync();

        var response = await _client.IntrospectAsync(token, authorization: null);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(Challenge, response.Headers.WwwAuthenticate.ToString());
    }

    // RFC 7662 §2.3: introspection always challenges, even when the client authenticated in the body.
    [Fact]
    public async Task A_wrong_secret_in_the_body_is_401()
    {
        var token = await _client.C1TokenAsync();

        var response = await _client.PostTokenAsync(
            Protocol.Form(("token", token), ("client_id", TestClients.CP), ("client_secret", "wrong-secret-0123456789")), path: BackChannel.IntrospectionPath);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(Challenge, response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_wrong_secret_over_basic_is_401()
    {
        var token = await _client.C1TokenAsync();

        var response = await _client.IntrospectAsync(token, Protocol.Basic(TestClients.C1, "wrong-secret-0123456789"));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(Challenge, response.Headers.WwwAuthenticate.ToString());
    }

    // A public client cannot prove who it is, so it is not authorized to introspect (docs/adr/0009).
    [Fact]
    public async Task A_public_client_is_401()
    {
        var token = await _client.C1TokenAsync();

        var response = await _client.PostTokenAsync(Protocol.Form(("token", token), ("client_id", TestClients.P1)), path: BackChannel.IntrospectionPath);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(Challenge, response.Headers.WwwAuthenticate.ToString());
    }

    // ASVS 9.1.2: alg none, with the payload unchanged.
    [Theory]
    [InlineData("none", false)]
    [InlineData("none", true)]
    [InlineData("None", false)]
    [InlineData("NONE", false)]
    public async Task An_unsigned_token_is_inactive(string alg, bool keepSignature)
    {
        var token = await _client.C1TokenAsync();
        var forged = Jose.WithHeader(token, header => header["alg"] = alg);
        if (!keepSignature)
        {
            forged = forged[..(forged.LastIndexOf('.') + 1)];
        }

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(forged, BackChannel.C1Basic));
    }

    // CVE-2024-37568, CVE-2026-114615, CVE-2026-114616, OpenIddict issue #324, ASVS 9.1.2: HS256 MAC'd with public key material of a published key.
    [Theory]
    [InlineData("EC", "jwk")]
    [InlineData("RSA", "jwk")]
    [InlineData("RSA", "modulus")]
    [InlineData("EC", "pem")]
    [InlineData("RSA", "pem")]
    [InlineData("RSA", "jwks")]
    [InlineData("EC", "empty")]
    public async Task An_hmac_token_keyed_with_public_key_material_is_inactive(string kty, string material)
    {
        var token = await _client.C1TokenAsync();
        var jwks = await _client.GetStringAsync("/.well-known/jwks.json");
        var (kid, rawJwk, jwk) = Jose.PublishedKey(jwks, kty);
        byte[] key = material switch
        {
            "jwk" => Encoding.UTF8.GetBytes(rawJwk),
            "modulus" => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(jwk.GetProperty("n").GetString()),
            "pem" => Encoding.UTF8.GetBytes(Jose.PublicKeyPem(jwk)),
            "jwks" => Encoding.UTF8.GetBytes(jwks),
            _ => [],
        };
        var header = new JsonObject { ["alg"] = "HS256", ["typ"] = "at+jwt", ["kid"] = kid };

        var forged = Jose.SignHs256(header, Jose.Split(token).Payload, key);

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(forged, BackChannel.C1Basic), $"HS256, {kty} {material}");
    }

    // ASVS 9.1.1: the signature covers the payload; changing a claim and keeping the signature is caught.
    [Theory]
    [InlineData("scope", "api.read api.write admin")]
    [InlineData("sub", "C2")]
    [InlineData("exp", null)]
    [InlineData("iss", "https://evil.example")]
    public async Task A_token_with_a_changed_claim_is_inactive(string claim, string? value)
    {
        var token = await _client.C1TokenAsync("api.read");
        var forged = Jose.WithPayload(token, payload =>
            payload[claim] = value is null ? JsonValue.Create(payload["exp"]!.GetValue<long>() + 3600) : JsonValue.Create(value));

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(forged, BackChannel.C1Basic), $"changed {claim}");

        // The unaltered token is active, so the claim change is what made the difference.
        await BackChannel.ActiveAsync(await _client.IntrospectAsync(token, BackChannel.C1Basic));
    }

    // ASVS 9.1.1: a client_id changed to the caller's own would make another client's token visible to it.
    [Fact]
    public async Task A_token_whose_client_id_was_changed_to_the_caller_is_inactive_for_the_caller()
    {
        var forged = Jose.WithPayload(await _client.C1TokenAsync(), payload => payload["client_id"] = TestClients.C2);

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(forged, BackChannel.C2Basic));
    }

    // CVE-2025-59420 (crit), CVE-2024-21319 (zip), RFC 8725 §3.11 and RFC 9068 §4 (typ), an unknown kid, an alg swap: a real
    // token with its header altered.
    [Theory]
    [InlineData("crit")]
    [InlineData("zip")]
    [InlineData("typ JWT")]
    [InlineData("typ absent")]
    [InlineData("kid unknown")]
    [InlineData("kid absent")]
    [InlineData("alg RS256")]
    [InlineData("alg ES384")]
    public async Task A_token_with_an_altered_header_is_inactive(string change)
    {
        var token = await _client.C1TokenAsync();
        var forged = Jose.WithHeader(token, header =>
        {
            switch (change)
            {
                case "crit":
                    header["crit"] = new JsonArray("bork");
                    header["bork"] = true;
                    break;
                case "zip": header["zip"] = "DEF"; break;
                case "typ JWT": header["typ"] = "JWT"; break;
                case "typ absent": header.Remove("typ"); break;
                case "kid unknown": header["kid"] = "not-a-published-key"; break;
                case "kid absent": header.Remove("kid"); break;
                case "alg RS256": header["alg"] = "RS256"; break;
                case "alg ES384": header["alg"] = "ES384"; break;
            }
        });

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(forged, BackChannel.C1Basic), change);
    }

    // ASVS 9.1.3: keys come only from the server's own key ring, never from the token. Each token
    // is a well-formed ES256 token over the real payload, signed with the attacker's key, which the
    // header offers by value (jwk, x5c) or by reference (jku, x5u), or under a kid that is not published.
    [Theory]
    [InlineData("jwk")]
    [InlineData("jku")]
    [InlineData("x5u")]
    [InlineData("x5c")]
    [InlineData("unpublished kid")]
    public async Task A_token_signed_with_a_key_the_token_brings_is_inactive(string variant)
    {
        var token = await _client.C1TokenAsync();
        var (serverKid, _, _) = Jose.PublishedKey(await _client.GetStringAsync("/.well-known/jwks.json"), "EC");
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "at+jwt", ["kid"] = serverKid };
        switch (variant)
        {
            case "jwk":
                header["jwk"] = Jose.PublicJwk(attacker);
                break;
            case "jku":
                header["jku"] = "http://127.0.0.1:1/jwks";
                break;
            case "x5u":
                header["x5u"] = "http://127.0.0.1:1/cert.pem";
                break;
            case "x5c":
                using (var certificate = new CertificateRequest("CN=attacker", attacker, HashAlgorithmName.SHA256)
                    .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)))
                {
                    header["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData));
                }

                break;
            default:
                header["kid"] = "attacker-key-1";
                break;
        }

        var forged = Jose.SignEs256(header, Jose.Split(token).Payload, attacker);

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(forged, BackChannel.C1Basic), variant);
    }

    // The control of the re-signed tests below: a real token's header and payload, signed again by the test
    // with the server's own ES256 key, is active, so what makes the variants inactive is their one change.
    [Fact]
    public async Task A_token_re_signed_with_the_server_key_is_active()
    {
        var token = await _client.C1TokenAsync("api.read");
        using var keys = await ServerSigningKeys.LoadAsync(server.Database);

        var resigned = keys.SignEs256(Jose.Header(token), Jose.Decode(Jose.Split(token).Payload));

        Assert.NotEqual(token, resigned);
        var body = await BackChannel.ActiveAsync(await _client.IntrospectAsync(resigned, BackChannel.C1Basic));
        Assert.Equal(AccessTokens.Read(token).Id, body.GetProperty("jti").GetString());
    }

    // RFC 7515 §4.1.11 and RFC 9068 §4: header members that are not critical are ignored, and the media
    // type form of typ is the same type. (Controls for the refused headers below.)
    [Theory]
    [InlineData("unknown member")]
    [InlineData("typ application/at+jwt")]
    public async Task A_validly_signed_token_with_a_harmless_header_change_is_active(string change)
    {
        var token = await _client.C1TokenAsync();
        using var keys = await ServerSigningKeys.LoadAsync(server.Database);
        var header = Jose.Header(token);
        if (change == "unknown member")
        {
            header["x-note"] = "ignored";
        }
        else
        {
            header["typ"] = "application/at+jwt";
        }

        var resigned = keys.SignEs256(header, Jose.Decode(Jose.Split(token).Payload));

        await BackChannel.ActiveAsync(await _client.IntrospectAsync(resigned, BackChannel.C1Basic));
    }

    // The header rules on their own, each on a token correctly signed with the server's key: CVE-2025-59420
    // (crit), CVE-2024-21319 (zip, enc) and ASVS 9.1.3 (jwk, jku, x5u, x5c: a token never picks its key,
    // not even the server's own), RFC 8725 §3.11 and RFC 9068 §4 (explicit typing: an ID token or plain JWT is
    // not an access token), and kid selection (no kid, or the kid of the other published key).
    [Theory]
    [InlineData("crit")]
    [InlineData("crit empty")]
    [InlineData("zip")]
    [InlineData("enc")]
    [InlineData("jwk of the attacker")]
    [InlineData("jwk of the server")]
    [InlineData("jku")]
    [InlineData("x5u")]
    [InlineData("x5c")]
    [InlineData("typ JWT")]
    [InlineData("typ absent")]
    [InlineData("typ application/jwt")]
    [InlineData("kid absent")]
    [InlineData("kid of the RS256 key")]
    public async Task A_validly_signed_token_with_a_refused_header_is_inactive(string change)
    {
        var token = await _client.C1TokenAsync();
        using var keys = await ServerSigningKeys.LoadAsync(server.Database);
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var header = Jose.Header(token);
        Assert.Equal(keys.Es256Kid, header["kid"]!.GetValue<string>());
        switch (change)
        {
            case "crit":
                header["crit"] = new JsonArray("bork");
                header["bork"] = true;
                break;
            case "crit empty":
                header["crit"] = new JsonArray();
                break;
            case "zip":
                header["zip"] = "DEF";
                break;
            case "enc":
                header["enc"] = "A256GCM";
                break;
            case "jwk of the attacker":
                header["jwk"] = Jose.PublicJwk(attacker);
                break;
            case "jwk of the server":
                header["jwk"] = Jose.PublicJwk(keys.Es256);
                break;
            case "jku":
                header["jku"] = "http://127.0.0.1:1/jwks";
                break;
            case "x5u":
                header["x5u"] = "http://127.0.0.1:1/cert.pem";
                break;
            case "x5c":
                using (var certificate = new CertificateRequest("CN=issuer.test", keys.Es256, HashAlgorithmName.SHA256)
                    .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)))
                {
                    header["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData));
                }

                break;
            case "typ JWT":
                header["typ"] = "JWT";
                break;
            case "typ absent":
                header.Remove("typ");
                break;
            case "typ application/jwt":
                header["typ"] = "application/jwt";
                break;
            case "kid absent":
                header.Remove("kid");
                break;
            case "kid of the RS256 key":
                header["kid"] = keys.Rs256Kid;
                break;
        }

        var resigned = keys.SignEs256(header, Jose.Decode(Jose.Split(token).Payload));

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(resigned, BackChannel.C1Basic), change);
    }

    // The claim rules on their own, each on a token correctly signed with the server's key: RFC 7662 §2.2
    // (expired), not yet valid, the exact issuer, and the claims an access token must carry (RFC 9068 §2.2).
    [Theory]
    [InlineData("expired")]
    [InlineData("expires now")]
    [InlineData("not yet valid")]
    [InlineData("no exp")]
    [InlineData("other issuer")]
    [InlineData("issuer with a trailing slash")]
    [InlineData("no iss")]
    [InlineData("no jti")]
    [InlineData("no client_id")]
    [InlineData("no sub")]
    public async Task A_validly_signed_token_with_a_bad_claim_is_inactive(string change)
    {
        var token = await _client.C1TokenAsync();
        using var keys = await ServerSigningKeys.LoadAsync(server.Database);
        var payload = Jose.Payload(token);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        switch (change)
        {
            case "expired":
                payload["iat"] = now - 600;
                payload["nbf"] = now - 600;
                payload["exp"] = now - 300;
                break;
            case "expires now":
                payload["iat"] = now - 600;
                payload["nbf"] = now - 600;
                payload["exp"] = now;
                break;
            case "not yet valid":
                payload["nbf"] = now + 3600;
                payload["exp"] = now + 7200;
                break;
            case "no exp":
                payload.Remove("exp");
                break;
            case "other issuer":
                payload["iss"] = "https://evil.example";
                break;
            case "issuer with a trailing slash":
                payload["iss"] = TestClients.Issuer + "/";
                break;
            case "no iss":
                payload.Remove("iss");
                break;
            case "no jti":
                payload.Remove("jti");
                break;
            case "no client_id":
                payload.Remove("client_id");
                break;
            case "no sub":
                payload.Remove("sub");
                break;
        }

        var resigned = keys.SignEs256(Jose.Header(token), payload.ToJsonString());

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(resigned, BackChannel.C1Basic), change);
    }

    // ASVS 1.5.3 on its own: correctly signed, but with a claim stated twice. A parser that keeps the last
    // (or the first) value disagrees with one that keeps the other; the token must be refused instead.
    [Theory]
    [InlineData("sub", "\"C2\"")]
    [InlineData("client_id", "\"C2\"")]
    [InlineData("aud", "\"https://rs.example\"")]
    [InlineData("scope", "\"api.read api.write admin\"")]
    [InlineData("exp", "4102444800")]
    public async Task A_validly_signed_token_with_a_duplicate_claim_is_inactive(string claim, string otherValue)
    {
        var token = await _client.C1TokenAsync("api.read");
        using var keys = await ServerSigningKeys.LoadAsync(server.Database);
        var json = Jose.Decode(Jose.Split(token).Payload);
        Assert.Contains($"\"{claim}\":", json, StringComparison.Ordinal);
        var duplicated = json[..^1] + $",\"{claim}\":{otherValue}}}";

        var resigned = keys.SignEs256(Jose.Header(token), duplicated);

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(resigned, BackChannel.C2Basic), $"{claim} twice, seen by C2");
        await BackChannel.InactiveAsync(await _client.IntrospectAsync(resigned, BackChannel.C1Basic), $"{claim} twice, seen by C1");
    }

    // ASVS 1.5.3 in the header: a typ or kid stated twice, where the first value would be refused.
    [Theory]
    [InlineData("typ", "\"JWT\"")]
    [InlineData("kid", "\"not-a-published-key\"")]
    [InlineData("alg", "\"none\"")]
    public async Task A_validly_signed_token_with_a_duplicate_header_member_is_inactive(string member, string firstValue)
    {
        var token = await _client.C1TokenAsync();
        using var keys = await ServerSigningKeys.LoadAsync(server.Database);
        var json = Jose.Decode(Jose.Split(token).Header);
        Assert.Contains($"\"{member}\":", json, StringComparison.Ordinal);
        var duplicated = $"{{\"{member}\":{firstValue}," + json[1..];

        var resigned = keys.SignEs256(duplicated, Jose.Decode(Jose.Split(token).Payload));

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(resigned, BackChannel.C1Basic), $"{member} twice");
    }

    // ASVS 1.5.3: a payload with two sub members must not be read as "last one wins".
    [Fact]
    public async Task A_payload_with_a_duplicate_member_is_inactive()
    {
        var token = await _client.C1TokenAsync();
        var (header, payload, signature) = Jose.Split(token);
        var json = Jose.Decode(payload);
        Assert.StartsWith("{", json, StringComparison.Ordinal);
        var duplicated = "{\"sub\":\"C2\"," + json[1..];
        Assert.Equal(2, duplicated.Split("\"sub\":").Length - 1);

        var forged = header + "." + Jose.Encode(duplicated) + "." + signature;

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(forged, BackChannel.C1Basic));
    }

    // The exact issuer: a token signed with this server's own key, but by a server with another issuer
    // (same database, so the same signing keys), is inactive here and active there.
    [Fact]
    public async Task A_token_from_another_issuer_with_the_same_keys_is_inactive()
    {
        const string OtherIssuer = "https://other-issuer.test";
        await using var other = new InProcessServer(
            server.Database, await File.ReadAllTextAsync(server.SeedFile), overrides: new Dictionary<string, string?> { ["Auth:Issuer"] = OtherIssuer });
        using var otherClient = other.Start();
        var token = await otherClient.C1TokenAsync();
        Assert.Equal(OtherIssuer, AccessTokens.Read(token).Issuer);

        // The signature verifies with this server's keys: only the issuer differs.
        var jwks = await _client.GetStringAsync("/.well-known/jwks.json");
        await AccessTokens.AssertValidAsync(token, jwks, OtherIssuer, AccessTokens.Read(token).Audiences.Single());
        await BackChannel.ActiveAsync(await otherClient.IntrospectAsync(token, BackChannel.C1Basic));

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(token, BackChannel.C1Basic));
    }
}

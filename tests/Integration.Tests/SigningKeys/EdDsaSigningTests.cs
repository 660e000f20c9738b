using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using Microsoft.IdentityModel.Tokens;
using Org.BouncyCastle.Crypto.Parameters;

namespace AuthService.Integration.Tests.SigningKeys;

/// <summary>
/// A server with <c>Auth:AccessTokenSigningAlgorithm=EdDSA</c>, the sign-in and admin clients, and one more
/// client registered for EdDSA ID tokens (<c>id_token_signed_response_alg</c>, OIDC Dynamic Registration §2).
/// </summary>
public sealed class EdDsaServerFixture : AdminFixture
{
    public const string CD = "CD";
    public const string CDSecret = "cd-secret-0123456789abcdef";
    public const string CDRedirect = "https://cd.example/cb";
    public const string CDSignedOut = "https://cd.example/signed-out";

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Auth:AccessTokenSigningAlgorithm"] = "EdDSA",
    };

    protected override string SeedJson
    {
        get
        {
            var seed = AdminClients.SeedDocument();
            var client = TestClients.Client(CD, CDSecret, "client_secret_basic", ["authorization_code"], "openid profile", redirectUris: [CDRedirect]);
            client["id_token_signed_response_alg"] = "EdDSA";
            client["require_consent"] = false;
            client["post_logout_redirect_uris"] = new JsonArray(CDSignedOut);
            seed["clients"]!.AsArray().Add(client);
            return seed.ToJsonString();
        }
    }
}

/// <summary>
/// EdDSA (RFC 8037) end to end: tokens signed with the published OKP key, checked here with the raw
/// Ed25519 public key from the JWKS (not through the server's own code), and accepted by every place the
/// server reads its own tokens back: introspection, UserInfo, the admin API and id_token_hint.
/// </summary>
public sealed class EdDsaSigningTests(EdDsaServerFixture server) : IClassFixture<EdDsaServerFixture>
{
    [Fact]
    public async Task Access_tokens_are_signed_with_the_published_Ed25519_key()
    {
        var token = await server.Client.C1TokenAsync();

        var header = Jose.Header(token);
        Assert.Equal("EdDSA", header["alg"]!.GetValue<string>());
        Assert.Equal("at+jwt", header["typ"]!.GetValue<string>());
        var (kid, _, jwk) = Jose.PublishedKey(await server.Client.GetJwksAsync(), "OKP");
        Assert.Equal(kid, header["kid"]!.GetValue<string>());
        Assert.True(VerifiesWith(jwk, token), "The EdDSA access token does not verify with the published Ed25519 key.");
        Assert.False(VerifiesWith(jwk, Jose.WithPayload(token, p => p["scope"] = "admin")), "A changed payload still verifies.");
    }

    [Fact]
    public async Task Discovery_lists_EdDSA_for_ID_tokens()
    {
        var metadata = JsonDocument.Parse(await server.Client.GetStringAsync("/.well-known/openid-configuration")).RootElement;

        var algorithms = metadata.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal(["ES256", "RS256", "EdDSA"], algorithms);
    }

    [Fact]
    public async Task Introspection_answers_active_for_an_EdDSA_token_and_inactive_once_its_signature_is_altered()
    {
        var token = await server.Client.C1TokenAsync();

        var body = await BackChannel.ActiveAsync(await server.Client.IntrospectAsync(token, BackChannel.C1Basic));
        Assert.Equal(TestClients.C1, body.GetProperty("client_id").GetString());

        await BackChannel.InactiveAsync(await server.Client.IntrospectAsync(WithAlteredSignature(token), BackChannel.C1Basic), "altered EdDSA signature");
    }

    [Fact]
    public async Task The_admin_API_accepts_an_EdDSA_admin_token()
    {
        var adminToken = await server.AdminTokenAsync();
        Assert.Equal("EdDSA", Jose.Header(adminToken)["alg"]!.GetValue<string>());
        using var admin = await server.AdminAsync();

        using var response = await admin.GetAsync("/admin/signing-keys");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_client_registered_for_EdDSA_gets_EdDSA_ID_tokens_that_work_at_UserInfo_and_as_id_token_hint()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid profile",
            clientId: EdDsaServerFixture.CD, secret: EdDsaServerFixture.CDSecret, redirectUri: EdDsaServerFixture.CDRedirect);

        var idToken = tokens.IdToken!;
        Assert.Equal("EdDSA", Jose.Header(idToken)["alg"]!.GetValue<string>());
        var (_, _, jwk) = Jose.PublishedKey(await server.Client.GetJwksAsync(), "OKP");
        Assert.True(VerifiesWith(jwk, idToken), "The EdDSA ID token does not verify with the published Ed25519 key.");

        // OIDC Core §3.1.3.6 with Ed25519's hash: the left half of SHA-512 of the access token.
        var hash = SHA512.HashData(Encoding.ASCII.GetBytes(tokens.AccessToken));
        Assert.Equal(Base64UrlEncoder.Encode(hash[..32]), Jose.Payload(idToken)["at_hash"]!.GetValue<string>());

        var claims = await EndSessionFlows.UserInfoClaimsAsync(await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken));
        Assert.Equal(Jose.Payload(idToken)["sub"]!.GetValue<string>(), claims.GetProperty("sub").GetString());

        using var logout = await browser.GetAsync(EndSessionFlows.EndSessionUrl(
            ("id_token_hint", idToken), ("post_logout_redirect_uri", EdDsaServerFixture.CDSignedOut)));
        Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);
        Assert.StartsWith(EdDsaServerFixture.CDSignedOut, logout.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_EdDSA_id_token_hint_with_an_altered_signature_does_not_redirect()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid",
            clientId: EdDsaServerFixture.CD, secret: EdDsaServerFixture.CDSecret, redirectUri: EdDsaServerFixture.CDRedirect);

        using var logout = await browser.GetAsync(EndSessionFlows.EndSessionUrl(
            ("id_token_hint", WithAlteredSignature(tokens.IdToken!)), ("post_logout_redirect_uri", EdDsaServerFixture.CDSignedOut)));

        Assert.False(logout.Headers.Location?.OriginalString.StartsWith(EdDsaServerFixture.CDSignedOut, StringComparison.Ordinal) ?? false,
            "A forged id_token_hint led to the client's post-logout redirect.");
    }

    /// <summary>Ed25519 verification of a compact JWS with the raw public key of an OKP JWK (RFC 8037 §3.1).</summary>
    private static bool VerifiesWith(JsonElement jwk, string token)
    {
        var (header, payload, signature) = Jose.Split(token);
        var publicKey = new Ed25519PublicKeyParameters(Base64UrlEncoder.DecodeBytes(jwk.GetProperty("x").GetString()));
        var input = Encoding.ASCII.GetBytes(header + "." + payload);
        var signatureBytes = Base64UrlEncoder.DecodeBytes(signature);
        return signatureBytes.Length == 64
            && publicKey.Verify(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, input, 0, input.Length, signatureBytes, 0);
    }

    private static string WithAlteredSignature(string token)
    {
        var (header, payload, signature) = Jose.Split(token);
        var bytes = Base64UrlEncoder.DecodeBytes(signature);
        bytes[5] ^= 0x01;
        return header + "." + payload + "." + Base64UrlEncoder.Encode(bytes);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// The ID token of the code flow (OIDC Core §2, §3.1.3.6, §3.1.3.7, §12.2;
/// the conformance checks ValidateIdToken, ValidateIdTokenNonce, ValidateAtHash, EnsureIdTokenContainsKid):
/// verified against the published JWKS only, as a relying party would.
/// </summary>
public sealed class IdTokenTests(SignInFixture server) : IClassFixture<SignInFixture>
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    private readonly HttpClient _client = server.Client;

    [Theory]
    [InlineData(SignInClients.CW)]
    [InlineData(SignInClients.PN)]
    public async Task The_id_token_verifies_against_the_jwks_and_carries_the_required_claims(string clientId)
    {
        var before = DateTimeOffset.UtcNow;
        using var browser = server.NewBrowser();
        var tokens = await CodeGrantSupport.TokensAsync(browser, _client, clientId, "openid offline_access api.read", nonce: "n-0S6_WzA2Mj");
        var idToken = tokens.IdToken!;
        Assert.False(string.IsNullOrEmpty(idToken));

        var jwks = await CodeGrantSupport.JwksAsync(_client);
        var jwt = await AssertSignedAsync(idToken, jwks, clientId);
        var header = Jose.Header(idToken);
        var payload = Jose.Payload(idToken);

        // Header: RS256 by default, typ JWT (not at+jwt), a kid that resolves in the JWKS to an RSA signing key.
        Assert.Equal("RS256", header["alg"]!.GetValue<string>());
        Assert.Equal("JWT", header["typ"]!.GetValue<string>());
        var kid = header["kid"]!.GetValue<string>();
        var key = Assert.Single(JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray(), k => k.GetProperty("kid").GetString() == kid);
        Assert.Equal("RSA", key.GetProperty("kty").GetString());

        // iss, aud, sub.
        Assert.Equal(TestClients.Issuer, payload["iss"]!.GetValue<string>());
        Assert.Equal([clientId], jwt.Audiences);
        var sub = payload["sub"]!.GetValue<string>();
        Assert.Equal(Jose.Payload(tokens.AccessToken)["sub"]!.GetValue<string>(), sub);
        Assert.Equal(await CodeGrantSupport.UserIdAsync(server.Database, SignInClients.AliceUsername), sub, ignoreCase: true);
        Assert.True(sub.Length is > 0 and <= 255 && sub.All(char.IsAscii), $"sub is 1..255 ASCII characters: {sub}");

        // exp, iat, auth_time: integers in seconds; exp ~5 minutes after iat and in the future; iat within ±5 min of now.
        var now = DateTimeOffset.UtcNow;
        var iat = Seconds(payload, "iat");
        var exp = Seconds(payload, "exp");
        var authTime = Seconds(payload, "auth_time");
        Assert.True(exp > now, $"exp {exp:o} is in the future (now {now:o})");
        Assert.True(exp < now.AddHours(1), $"exp {exp:o} is sane: seconds, not milliseconds, and not far off");
        Assert.Equal(TimeSpan.FromMinutes(5), exp - iat);
        Assert.True((iat - now).Duration() <= TimeSpan.FromMinutes(5), $"iat {iat:o} is within 5 min of now {now:o}");
        Assert.True(authTime <= iat, $"auth_time {authTime:o} is not after iat {iat:o}");
        Assert.True(authTime >= before.AddSeconds(-5), $"auth_time {authTime:o} is the sign-in of this test (started {before:o})");

        // nonce echoed byte for byte; sid present; at_hash of the access token returned with it.
        Assert.Equal("n-0S6_WzA2Mj", payload["nonce"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(payload["sid"]?.GetValue<string>()), $"sid is present: {payload}");
        Assert.Equal(AtHash(tokens.AccessToken), payload["at_hash"]!.GetValue<string>());

        // The ID token is not an access token (RFC 9068 §2.1 typ at+jwt keeps the two apart).
        Assert.NotEqual("at+jwt", header["typ"]!.GetValue<string>());
    }

    // OIDC Core §3.1.2.1: without a nonce in the request, none in the ID token.
    [Fact]
    public async Task Without_a_nonce_in_the_request_the_id_token_has_none()
    {
        using var browser = server.NewBrowser();
        var tokens = await CodeGrantSupport.TokensAsync(browser, _client, SignInClients.CW, "openid api.read", nonce: null);

        var payload = Jose.Payload(tokens.IdToken!);
        Assert.False(payload.ContainsKey("nonce"), $"No nonce was sent, yet the ID token has one: {payload}");
        await AssertSignedAsync(tokens.IdToken!, await CodeGrantSupport.JwksAsync(_client), SignInClients.CW);
        Assert.Equal(AtHash(tokens.AccessToken), payload["at_hash"]!.GetValue<string>());
    }

    // a long nonce is echoed exactly.
    [Fact]
    public async Task A_long_nonce_is_echoed_exactly()
    {
        var nonce = CodeGrantSupport.RandomBase64Url(384);
        using var browser = server.NewBrowser();
        var tokens = await CodeGrantSupport.TokensAsync(browser, _client, SignInClients.CW, "openid", nonce: nonce);

        Assert.Equal(nonce, Jose.Payload(tokens.IdToken!)["nonce"]!.GetValue<string>());
    }

    // Without openid there is no ID token (OIDC Core §3.1.2.1: openid makes it an OpenID request).
    [Fact]
    public async Task Without_openid_no_id_token_is_issued()
    {
        using var browser = server.NewBrowser();
        var tokens = await CodeGrantSupport.TokensAsync(browser, _client, SignInClients.CW, "api.read offline_access");

        Assert.False(tokens.Body.TryGetProperty("id_token", out _), $"No openid, yet an ID token: {tokens.Body}");
    }

    // OIDC Core §12.2: the ID token of a refresh has the same sub and auth_time as the first, and (this server's
    // choice, per the brief) no nonce; it verifies and hashes the new access token.
    [Fact]
    public async Task After_a_refresh_the_new_id_token_has_the_same_sub_and_auth_time_and_no_nonce()
    {
        using var browser = server.NewBrowser();
        var first = await CodeGrantSupport.TokensAsync(browser, _client, SignInClients.CW, "openid profile offline_access", nonce: "n-refresh");
        var refreshed = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, first.RefreshToken!);
        Assert.False(string.IsNullOrEmpty(refreshed.IdToken), $"openid is still granted, so the refresh returns an ID token: {refreshed.Body}");

        var jwks = await CodeGrantSupport.JwksAsync(_client);
        await AssertSignedAsync(refreshed.IdToken!, jwks, SignInClients.CW);
        var before = Jose.Payload(first.IdToken!);
        var after = Jose.Payload(refreshed.IdToken!);

        Assert.Equal(before["iss"]!.GetValue<string>(), after["iss"]!.GetValue<string>());
        Assert.Equal(before["sub"]!.GetValue<string>(), after["sub"]!.GetValue<string>());
        Assert.Equal(before["aud"]!.ToJsonString(), after["aud"]!.ToJsonString());
        Assert.Equal(Seconds(before, "auth_time"), Seconds(after, "auth_time"));
        Assert.False(after.ContainsKey("nonce"), $"The refreshed ID token must not repeat the nonce: {after}");
        Assert.True(Seconds(after, "iat") >= Seconds(before, "iat"));
        Assert.Equal(AtHash(refreshed.AccessToken), after["at_hash"]!.GetValue<string>());
        Assert.Equal(Jose.Payload(refreshed.AccessToken)["sub"]!.GetValue<string>(), after["sub"]!.GetValue<string>());
    }

    // A refresh narrowed to exclude openid returns no ID token.
    [Fact]
    public async Task A_refresh_narrowed_without_openid_returns_no_id_token()
    {
        using var browser = server.NewBrowser();
        var first = await CodeGrantSupport.TokensAsync(browser, _client, SignInClients.CW, "openid offline_access api.read");

        var refreshed = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, first.RefreshToken!, "api.read offline_access");

        Assert.False(refreshed.Body.TryGetProperty("id_token", out _), $"openid was not asked for, yet an ID token: {refreshed.Body}");
    }

    // A tampered ID token does not verify (the check above is not vacuous).
    [Fact]
    public async Task A_tampered_id_token_does_not_verify()
    {
        using var browser = server.NewBrowser();
        var tokens = await CodeGrantSupport.TokensAsync(browser, _client, SignInClients.CW, "openid");
        var forged = Jose.WithPayload(tokens.IdToken!, p => p["sub"] = Guid.NewGuid().ToString());

        var result = await Handler.ValidateTokenAsync(forged, Parameters(await CodeGrantSupport.JwksAsync(_client), SignInClients.CW));

        Assert.False(result.IsValid);
    }

    /// <summary>OIDC Core §3.1.3.6: base64url of the left half of SHA-256 over the ASCII access token.</summary>
    private static string AtHash(string accessToken)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(accessToken));
        return Base64UrlEncoder.Encode(hash[..(hash.Length / 2)]);
    }

    private static DateTimeOffset Seconds(JsonObject payload, string claim)
    {
        var node = payload[claim];
        Assert.True(node is JsonValue value && value.GetValueKind() == JsonValueKind.Number, $"{claim} is a number: {payload}");
        Assert.True(node!.AsValue().TryGetValue<long>(out var seconds), $"{claim} is an integer number of seconds: {payload}");
        Assert.True(seconds is > 1_000_000_000 and < 10_000_000_000, $"{claim} is in seconds since the epoch, not milliseconds: {seconds}");
        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    private static TokenValidationParameters Parameters(string jwks, string clientId) => new()
    {
        ValidIssuer = TestClients.Issuer,
        ValidAudience = clientId,
        IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys(),
        TryAllIssuerSigningKeys = false,
        ValidTypes = ["JWT"],
        ValidAlgorithms = ["RS256"],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.Zero,
    };

    /// <summary>Signature (by the kid's key only), iss, aud, lifetime and typ, against the published JWKS.</summary>
    private static async Task<JsonWebToken> AssertSignedAsync(string idToken, string jwks, string clientId)
    {
        var result = await Handler.ValidateTokenAsync(idToken, Parameters(jwks, clientId));
        Assert.True(result.IsValid, $"The ID token does not verify against the JWKS: {result.Exception}");
        return (JsonWebToken)result.SecurityToken;
    }
}

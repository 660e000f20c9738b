using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Tokens;

/// <summary>
/// Successful client_credentials requests at POST /connect/token (RFC 6749 §4.4, OAuth 2.1 §4.2), and
/// the RFC 9068 access token they return, verified against the server's own JWKS.
/// </summary>
public sealed class TokenEndpointTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private readonly HttpClient _client = server.Client;

    // RFC 9068 §2.1: wire format of the response and of the token, and its signature.
    [Fact]
    public async Task Client_credentials_over_basic_returns_a_signed_rfc9068_access_token()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var response = await _client.PostC1Async("api.read api.write");
        var body = await OAuthAssert.TokenSuccessAsync(response);

        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());
        Assert.Equal(["api.read", "api.write"], OAuthAssert.ScopeSet(body));
        Assert.Equal("no-cache", response.Header("Pragma"));

        var accessToken = body.GetProperty("access_token").GetString()!;
        var jwt = AccessTokens.Read(accessToken);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal("ES256", jwt.Alg);
        Assert.False(string.IsNullOrEmpty(jwt.Kid));

        var jwks = await _client.GetStringAsync("/.well-known/jwks.json");
        var kids = JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Contains(jwt.Kid, kids);

        Assert.Equal(TestClients.Issuer, jwt.Issuer);
        Assert.Equal("C1", jwt.Subject);
        Assert.Equal("C1", jwt.GetPayloadValue<string>("client_id"));
        Assert.Equal([TestClients.Issuer], jwt.Audiences);
        Assert.Equal("api.read api.write", jwt.GetPayloadValue<string>("scope"));

        // 128 bits of randomness: base64url of 16 bytes, no padding.
        var jti = jwt.Id;
        Assert.Matches("^[A-Za-z0-9_-]{22}$", jti);

        var iat = jwt.GetPayloadValue<long>("iat");
        var nbf = jwt.GetPayloadValue<long>("nbf");
        var exp = jwt.GetPayloadValue<long>("exp");
        Assert.InRange(iat, before - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        Assert.Equal(iat, nbf);
        Assert.Equal(iat + 3600, exp);

        await AccessTokens.AssertValidAsync(accessToken, jwks, TestClients.Issuer, TestClients.Issuer);
    }

    // The verification above is not vacuous: a token whose payload was changed no longer verifies,
    // and neither does one checked against the wrong audience.
    [Fact]
    public async Task A_tampered_token_does_not_verify()
    {
        var body = await OAuthAssert.TokenSuccessAsync(await _client.PostC1Async("api.read"));
        var parts = body.GetProperty("access_token").GetString()!.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1]));
        var forged = parts[0] + "." + Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload.Replace("\"api.read\"", "\"api.write\"", StringComparison.Ordinal)) + "." + parts[2];
        var jwks = await _client.GetStringAsync("/.well-known/jwks.json");

        Assert.NotEqual(string.Join('.', parts), forged);
        Assert.False((await AccessTokens.ValidateAsync(forged, jwks, TestClients.Issuer, TestClients.Issuer)).IsValid);
        Assert.False((await AccessTokens.ValidateAsync(string.Join('.', parts), jwks, TestClients.Issuer, "https://other.example")).IsValid);
    }

    // RFC 9068 §2.1 (jti): every token has its own id.
    [Fact]
    public async Task Two_tokens_have_different_jti()
    {
        var first = await OAuthAssert.TokenSuccessAsync(await _client.PostC1Async());
        var second = await OAuthAssert.TokenSuccessAsync(await _client.PostC1Async());

        var firstJti = AccessTokens.Read(first.GetProperty("access_token").GetString()!).Id;
        var secondJti = AccessTokens.Read(second.GetProperty("access_token").GetString()!).Id;
        Assert.NotEqual(firstJti, secondJti);
    }

    // The hot path under concurrency: a cold client cache filled by many requests at once, every
    // token its own. (No timing assertion: that is the benchmark's job.)
    [Fact]
    public async Task Parallel_requests_all_succeed_with_distinct_tokens()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => i % 2 == 0
            ? _client.PostC1Async()
            : _client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(TestClients.CX, TestClients.CXSecret))));

        var jtis = new List<string>();
        foreach (var response in responses)
        {
            var body = await OAuthAssert.TokenSuccessAsync(response);
            jtis.Add(AccessTokens.Read(body.GetProperty("access_token").GetString()!).Id);
        }

        Assert.Equal(50, jtis.Distinct(StringComparer.Ordinal).Count());
    }

    // client_secret_post, and the client's own token lifetime.
    [Fact]
    public async Task Client_secret_post_is_accepted_and_uses_the_clients_lifetime()
    {
        var response = await _client.PostTokenAsync(Protocol.Form(
            ("grant_type", "client_credentials"), ("client_id", TestClients.CP), ("client_secret", TestClients.CPSecret)));

        var body = await OAuthAssert.TokenSuccessAsync(response);
        Assert.Equal(300, body.GetProperty("expires_in").GetInt32());
        var jwt = AccessTokens.Read(body.GetProperty("access_token").GetString()!);
        Assert.Equal(jwt.GetPayloadValue<long>("iat") + 300, jwt.GetPayloadValue<long>("exp"));
        Assert.Equal("CP", jwt.Subject);
    }

    // ':', '%', '+' and ' ' in the id and secret survive form-encoding inside Basic.
    [Fact]
    public async Task Basic_credentials_are_form_decoded()
    {
        var response = await _client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(TestClients.CX, TestClients.CXSecret));

        var body = await OAuthAssert.TokenSuccessAsync(response);
        var jwt = AccessTokens.Read(body.GetProperty("access_token").GetString()!);
        Assert.Equal(TestClients.CX, jwt.Subject);
        Assert.Equal(TestClients.CX, jwt.GetPayloadValue<string>("client_id"));
        Assert.Equal([TestClients.CXAudience], jwt.Audiences);

        var jwks = await _client.GetStringAsync("/.well-known/jwks.json");
        await AccessTokens.AssertValidAsync(body.GetProperty("access_token").GetString()!, jwks, TestClients.Issuer, TestClients.CXAudience);
    }

    // the other way round: the same credentials joined without form-encoding are split at
    // the first ':' of the id, so they do not authenticate.
    [Fact]
    public async Task Basic_credentials_without_form_encoding_do_not_authenticate()
    {
        var response = await _client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials")),
            Protocol.RawBasic(System.Text.Encoding.UTF8.GetBytes(TestClients.CX + ":" + TestClients.CXSecret)));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    // RFC 6749 §3.3: without a scope the client gets its allowed scopes.
    [Fact]
    public async Task No_scope_grants_every_allowed_scope()
    {
        var body = await OAuthAssert.TokenSuccessAsync(await _client.PostC1Async());

        Assert.Equal(["api.read", "api.write"], OAuthAssert.ScopeSet(body));
    }

    // RFC 6749 §3.3: the order of scopes does not matter.
    [Fact]
    public async Task Scopes_in_reversed_order_succeed()
    {
        var body = await OAuthAssert.TokenSuccessAsync(await _client.PostC1Async("api.write api.read"));

        Assert.Equal(["api.read", "api.write"], OAuthAssert.ScopeSet(body));
    }

    [Fact]
    public async Task A_subset_of_the_allowed_scopes_is_granted_as_asked()
    {
        var body = await OAuthAssert.TokenSuccessAsync(await _client.PostC1Async("api.read"));

        Assert.Equal("api.read", body.GetProperty("scope").GetString());
        Assert.Equal("api.read", AccessTokens.Read(body.GetProperty("access_token").GetString()!).GetPayloadValue<string>("scope"));
    }

    // unknown parameters are ignored.
    [Fact]
    public async Task An_unknown_parameter_is_ignored()
    {
        var response = await _client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("extra", "foobar")), Protocol.Basic(TestClients.C1, TestClients.C1Secret));

        await OAuthAssert.TokenSuccessAsync(response);
    }

    // an empty value counts as absent, so `scope=` means the default scopes.
    [Fact]
    public async Task An_empty_scope_is_treated_as_absent()
    {
        var response = await _client.PostTokenAsync("grant_type=client_credentials&scope=", Protocol.Basic(TestClients.C1, TestClients.C1Secret));

        var body = await OAuthAssert.TokenSuccessAsync(response);
        Assert.Equal(["api.read", "api.write"], OAuthAssert.ScopeSet(body));
    }

    // an empty client_id in the body next to Basic is absent, not a mismatch.
    [Fact]
    public async Task An_empty_client_id_next_to_basic_is_treated_as_absent()
    {
        var response = await _client.PostTokenAsync("grant_type=client_credentials&client_id=", Protocol.Basic(TestClients.C1, TestClients.C1Secret));

        await OAuthAssert.TokenSuccessAsync(response);
    }

    // counterpart: the body may repeat the client_id Basic authenticated.
    [Fact]
    public async Task The_same_client_id_in_the_body_as_in_basic_is_accepted()
    {
        var response = await _client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("client_id", TestClients.C1)), Protocol.Basic(TestClients.C1, TestClients.C1Secret));

        await OAuthAssert.TokenSuccessAsync(response);
    }
}

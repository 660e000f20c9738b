using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// The sign-in fixtures plus a user the tests may disable (ASVS 7.4.2) and a code-flow client whose access
/// tokens are minted for another audience (ASVS 10.3.1: not meant for UserInfo).
/// </summary>
public class UserInfoFixture : SignInFixture
{
    public const string CarolUsername = "carol";
    public const string CarolPassword = "carol-password-0123456";

    /// <summary>Code-flow client whose access tokens carry <see cref="OtherAudience"/> instead of the issuer.</summary>
    public const string CU = "CU";
    public const string CUSecret = "cu-secret-0123456789abcdef";
    public const string CURedirect = "https://cu.example/cb";
    public const string OtherAudience = "https://api.example/orders";

    protected override string SeedJson
    {
        get
        {
            var seed = SignInClients.SeedDocument();
            var client = TestClients.Client(CU, CUSecret, "client_secret_basic", ["authorization_code", "refresh_token"],
                "openid profile email offline_access", redirectUris: [CURedirect], audience: OtherAudience);
            client["require_consent"] = false;
            seed["clients"]!.AsArray().Add(client);
            seed["users"]!.AsArray().Add(new JsonObject
            {
                ["username"] = CarolUsername, ["email"] = "carol@example.com", ["email_verified"] = false, ["name"] = "Carol Example", ["password"] = CarolPassword,
            });
            return seed.ToJsonString();
        }
    }
}

/// <summary>
/// UserInfo (OIDC Core §5.3; RFC 6750): claims by scope for a valid access token in the Authorization
/// header only; 401 <c>invalid_token</c> for anything that is not a live access token of this server for
/// a user and for this server (ASVS 10.3.1, ASVS 9.1.1, ASVS 9.2.2, RFC 7009 §2.1 revocation, ASVS 7.4.2 disabled
/// user); 401 without an error attribute when no token was sent; 403 <c>insufficient_scope</c> without
/// <c>openid</c>; no CORS for a foreign origin (RFC 9700 §2.6).
/// </summary>
public sealed class UserInfoTests(UserInfoFixture server) : IClassFixture<UserInfoFixture>
{
    [Fact]
    public async Task GET_returns_sub_profile_and_email_claims_matching_the_id_token_and_the_access_token()
    {
        var tokens = await SignInAsync("openid profile email");

        using var response = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken);
        var claims = await EndSessionFlows.UserInfoClaimsAsync(response);

        var sub = claims.GetProperty("sub").GetString();
        Assert.False(string.IsNullOrEmpty(sub));
        Assert.Equal(tokens.IdTokenSubject, sub);
        Assert.Equal(tokens.AccessTokenSubject, sub);
        Assert.True(Guid.TryParse(sub, out _), $"sub should be the user's stable id, got {sub}");
        Assert.Equal("Alice Example", claims.GetProperty("name").GetString());
        Assert.Equal(SignInClients.AliceUsername, claims.GetProperty("preferred_username").GetString());
        Assert.Equal(SignInClients.AliceEmail, claims.GetProperty("email").GetString());
        Assert.True(claims.GetProperty("email_verified").GetBoolean());
        Assert.Equal(["email", "email_verified", "name", "preferred_username", "sub"], Names(claims));
    }

    [Fact]
    public async Task POST_with_the_bearer_header_returns_the_same_claims_as_GET()
    {
        var tokens = await SignInAsync("openid profile email");

        using var get = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken);
        using var post = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken, HttpMethod.Post);
        var viaGet = await EndSessionFlows.UserInfoClaimsAsync(get);
        var viaPost = await EndSessionFlows.UserInfoClaimsAsync(post);

        Assert.Equal(viaGet.GetRawText(), viaPost.GetRawText());
        Assert.Equal(tokens.IdTokenSubject, viaPost.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Without_profile_and_email_scopes_only_sub_is_returned()
    {
        var tokens = await SignInAsync("openid");

        using var response = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken);
        var claims = await EndSessionFlows.UserInfoClaimsAsync(response);

        Assert.Equal(["sub"], Names(claims));
        Assert.Equal(tokens.IdTokenSubject, claims.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task With_profile_but_not_email_no_email_claims_are_returned()
    {
        var tokens = await SignInAsync("openid profile");

        using var response = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken);
        var claims = await EndSessionFlows.UserInfoClaimsAsync(response);

        Assert.Equal(["name", "preferred_username", "sub"], Names(claims));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task Without_a_token_the_answer_is_401_with_a_bare_Bearer_challenge(string method)
    {
        using var response = await EndSessionFlows.UserInfoAsync(server.Client, token: null, new HttpMethod(method));

        await EndSessionFlows.AssertBearerErrorAsync(response, HttpStatusCode.Unauthorized, error: null, "no token");
    }

    [Fact]
    public async Task A_token_in_the_query_string_or_the_form_body_is_not_accepted()
    {
        var tokens = await SignInAsync("openid profile");

        using (var query = await server.Client.GetAsync(EndSessionFlows.UserInfoPath + "?access_token=" + Uri.EscapeDataString(tokens.AccessToken)))
        {
            await EndSessionFlows.AssertBearerErrorAsync(query, HttpStatusCode.Unauthorized, error: null, "access_token in the query string");
        }

        using (var form = await server.Client.PostAsync(EndSessionFlows.UserInfoPath,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["access_token"] = tokens.AccessToken })))
        {
            await EndSessionFlows.AssertBearerErrorAsync(form, HttpStatusCode.Unauthorized, error: null, "access_token in the form body");
        }

        // The same token in the header works: the refusals above are about where it was sent.
        using var header = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken);
        await EndSessionFlows.UserInfoClaimsAsync(header);
    }

    [Fact]
    public async Task Garbage_and_forged_tokens_are_401_invalid_token()
    {
        var tokens = await SignInAsync("openid profile email");
        var (header, payload, signature) = Jose.Split(tokens.AccessToken);
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var cases = new List<(string Because, string Token)>
        {
            ("garbage", "not-a-token"),
            ("three empty segments", ".."),
            ("random three-part string", "abc.def.ghi"),
            ("signature of one character flipped", header + "." + payload + "." + Flip(signature)),
            ("payload with a wider scope, original signature", Jose.WithPayload(tokens.AccessToken, p => p["scope"] = "openid profile email api.write")),
            ("payload naming another subject, original signature", Jose.WithPayload(tokens.AccessToken, p => p["sub"] = Guid.NewGuid().ToString())),
            ("signed by another key under the server's kid", Jose.SignEs256(Jose.Header(tokens.AccessToken), payload, attacker)),
            ("alg none", Jose.Encode("""{"alg":"none","typ":"at+jwt"}""") + "." + payload + "."),
        };
        foreach (var (because, token) in cases)
        {
            using var response = await EndSessionFlows.UserInfoAsync(server.Client, token);
            await EndSessionFlows.AssertBearerErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token", because);
        }

        // The untouched token still works: the refusals are about the forgeries.
        using var good = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken);
        await EndSessionFlows.UserInfoClaimsAsync(good);
    }

    // ASVS 9.2.2, RFC 8725 §3.11: an ID token is not an access token, though it is signed by the same key for the same user.
    [Fact]
    public async Task An_id_token_used_as_an_access_token_is_401_invalid_token()
    {
        var tokens = await SignInAsync("openid profile email");

        using var response = await EndSessionFlows.UserInfoAsync(server.Client, tokens.IdToken!);

        await EndSessionFlows.AssertBearerErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "an ID token as the bearer token");
    }

    [Fact]
    public async Task A_client_credentials_token_has_no_user_and_is_401_invalid_token()
    {
        var token = await server.Client.C1TokenAsync();
        Assert.Equal(TestClients.C1, Jose.Payload(token)["sub"]!.GetValue<string>());

        using var response = await EndSessionFlows.UserInfoAsync(server.Client, token);

        await EndSessionFlows.AssertBearerErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "a client_credentials token");
    }

    // ASVS 10.3.1: a token minted for another resource server is not accepted here.
    [Fact]
    public async Task A_user_token_whose_audience_is_not_the_issuer_is_401_invalid_token()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid profile",
            UserInfoFixture.CU, UserInfoFixture.CUSecret, UserInfoFixture.CURedirect);
        Assert.Equal(UserInfoFixture.OtherAudience, Jose.Payload(tokens.AccessToken)["aud"]!.ToString());

        using var response = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken);

        await EndSessionFlows.AssertBearerErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "a token for another audience");
    }

    // RFC 6750 §3.1: a valid token without the scope the resource needs.
    [Fact]
    public async Task A_token_without_openid_is_403_insufficient_scope()
    {
        var tokens = await SignInAsync("api.read");
        Assert.Null(tokens.IdToken);
        Assert.Equal("api.read", tokens.Scope);

        using var response = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken);

        await EndSessionFlows.AssertBearerErrorAsync(response, HttpStatusCode.Forbidden, "insufficient_scope", "a token without openid");
    }

    // RFC 7009 §2.1: a revoked access token is refused at once.
    [Fact]
    public async Task An_access_token_revoked_at_the_revocation_endpoint_is_401_invalid_token()
    {
        var tokens = await SignInAsync("openid profile");
        using (var before = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken))
        {
            await EndSessionFlows.UserInfoClaimsAsync(before);
        }

        await BackChannel.RevokedAsync(await server.Client.RevokeAsync(tokens.AccessToken, Protocol.Basic(SignInClients.CW, SignInClients.CWSecret)));

        using var response = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken);
        await EndSessionFlows.AssertBearerErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "a revoked access token");
    }

    // RFC 7009 §2.1: revoking the refresh token also ends the access token issued with it.
    [Fact]
    public async Task Revoking_the_refresh_token_also_ends_its_access_token_at_UserInfo()
    {
        var tokens = await SignInAsync("openid profile offline_access");
        Assert.NotNull(tokens.RefreshToken);

        await BackChannel.RevokedAsync(await server.Client.RevokeAsync(tokens.RefreshToken!, Protocol.Basic(SignInClients.CW, SignInClients.CWSecret)));

        using var response = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken);
        await EndSessionFlows.AssertBearerErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "the access token of a revoked refresh token");
    }

    // ASVS 7.4.2: disabling a user ends what they hold: UserInfo, the refresh token and the browser session.
    [Fact]
    public async Task After_the_user_is_disabled_their_token_is_401_their_refresh_token_and_session_stop_working()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid profile offline_access",
            username: UserInfoFixture.CarolUsername, password: UserInfoFixture.CarolPassword);
        using (var before = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken))
        {
            Assert.Equal("Carol Example", (await EndSessionFlows.UserInfoClaimsAsync(before)).GetProperty("name").GetString());
        }

        await server.Database.ScalarAsync<int>("WITH u AS (UPDATE users SET disabled = true WHERE username = @name RETURNING 1) SELECT count(*)::int FROM u",
            ("name", UserInfoFixture.CarolUsername));

        using var response = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken);
        await EndSessionFlows.AssertBearerErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "the token of a disabled user");
        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, tokens.RefreshToken!, "the refresh token of a disabled user");
        await EndSessionFlows.AssertSignedOutAsync(browser, "the session of a disabled user");
    }

    // RFC 9700 §2.6: no CORS grant for an origin that is not a registered web origin.
    [Fact]
    public async Task A_foreign_origin_gets_no_CORS_headers_on_GET_or_preflight()
    {
        var tokens = await SignInAsync("openid");

        using var get = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken,
            change: r => r.Headers.TryAddWithoutValidation("Origin", "https://evil.com"));
        Assert.Null(get.Header("Access-Control-Allow-Origin"));
        Assert.Null(get.Header("Access-Control-Allow-Credentials"));

        using var preflight = new HttpRequestMessage(HttpMethod.Options, EndSessionFlows.UserInfoPath);
        preflight.Headers.TryAddWithoutValidation("Origin", "https://evil.com");
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "GET");
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "authorization");
        using var answer = await server.Client.SendAsync(preflight);
        Assert.Null(answer.Header("Access-Control-Allow-Origin"));
        Assert.Null(answer.Header("Access-Control-Allow-Headers"));
        Assert.Null(answer.Header("Access-Control-Allow-Credentials"));
    }

    private async Task<EndSessionTokens> SignInAsync(string scope)
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        return await EndSessionFlows.SignInAsync(browser, jar, server.Client, scope);
    }

    private static string[] Names(JsonElement claims) => [.. claims.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static string Flip(string segment)
    {
        // Flip a character in the middle (the last one may carry only padding bits).
        var chars = segment.ToCharArray();
        var i = chars.Length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;

namespace AuthService.Integration.Tests.TokenExchange;

/// <summary>The sign-in fixture's users and code-flow clients, and two exchangers whose policies name CW as a subject client.</summary>
public sealed class TokenExchangeUserFixture : SignInFixture
{
    /// <summary>May impersonate: exchanges CW's tokens without an actor token.</summary>
    public const string Impersonator = "UX";
    public const string ImpersonatorSecret = "ux-secret-0123456789abcdef";

    /// <summary>Delegation only: exchanges CW's tokens with an actor token.</summary>
    public const string Delegator = "UD";
    public const string DelegatorSecret = "ud-secret-0123456789abcdef";

    /// <summary>Users a test locks out or disables; the other tests use alice.</summary>
    public const string Carol = "carol";
    public const string Dave = "dave";
    public const string Erin = "erin";
    public const string Password = "user-password-0123";

    protected override string SeedJson
    {
        get
        {
            var seed = SignInClients.SeedDocument();
            var clients = seed["clients"]!.AsArray();
            string[] grants = ["urn:ietf:params:oauth:grant-type:token-exchange"];
            clients.Add(TokenExchangeFixture.WithPolicy(
                TestClients.Client(Impersonator, ImpersonatorSecret, "client_secret_basic", grants, "openid api.read"), [], [SignInClients.CW], impersonation: true));
            clients.Add(TokenExchangeFixture.WithPolicy(
                TestClients.Client(Delegator, DelegatorSecret, "client_secret_basic", grants, "openid api.read"), [], [SignInClients.CW]));
            seed["users"]!.AsArray().Add(new JsonObject { ["username"] = Carol, ["email"] = "carol@example.com", ["password"] = Password });
            seed["users"]!.AsArray().Add(new JsonObject { ["username"] = Dave, ["email"] = "dave@example.com", ["password"] = Password });
            seed["users"]!.AsArray().Add(new JsonObject { ["username"] = Erin, ["email"] = "erin@example.com", ["password"] = Password });
            clients.Add(TestClients.Client(AdminClients.Admin, AdminClients.AdminSecret, "client_secret_basic", ["client_credentials"], "admin"));
            return seed.ToJsonString();
        }
    }
}

/// <summary>
/// Token exchange (RFC 8693) of a user's refresh token and ID token through the real token endpoint: impersonation
/// allowed or refused by the client's policy, the refresh token neither rotated nor consumed, the exchanged token
/// revoked with the refresh token's family, subject clients outside the policy, a locked-out user's tokens.
/// </summary>
public sealed class TokenExchangeUserSubjectTests(TokenExchangeUserFixture server) : IClassFixture<TokenExchangeUserFixture>
{
    private const string Grant = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    private const string RefreshTokenType = "urn:ietf:params:oauth:token-type:refresh_token";
    private const string IdTokenType = "urn:ietf:params:oauth:token-type:id_token";
    private const string Scope = "openid offline_access api.read";

    private readonly HttpClient _client = server.Client;

    private async Task<GrantTokens> SignInAsync(string clientId = SignInClients.CW, string username = SignInClients.AliceUsername,
        string password = SignInClients.AlicePassword)
    {
        using var browser = server.NewBrowser();
        return await CodeGrantSupport.TokensAsync(browser, _client, clientId, Scope, username: username, password: password);
    }

    private Task<HttpResponseMessage> ExchangeAsync(string subject, string type, string clientId = TokenExchangeUserFixture.Impersonator,
        params (string Name, string Value)[] more) =>
        _client.PostTokenAsync(Protocol.Form([("grant_type", Grant), ("subject_token", subject), ("subject_token_type", type), .. more]),
            Protocol.Basic(clientId, clientId == TokenExchangeUserFixture.Impersonator ? TokenExchangeUserFixture.ImpersonatorSecret : TokenExchangeUserFixture.DelegatorSecret));

    private Task<HttpResponseMessage> IntrospectAsync(string token) =>
        _client.PostTokenAsync(Protocol.Form(("token", token)), Protocol.Basic(TokenExchangeUserFixture.Impersonator, TokenExchangeUserFixture.ImpersonatorSecret),
            BackChannel.IntrospectionPath);

    [Fact]
    public async Task Impersonation_with_a_refresh_token_issues_a_token_for_the_user_without_act_and_keeps_the_refresh_token()
    {
        var tokens = await SignInAsync();
        var alice = await CodeGrantSupport.UserIdAsync(server.Database, SignInClients.AliceUsername);

        var body = await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(tokens.RefreshToken!, RefreshTokenType, more: ("scope", "api.read")));

        Assert.Equal(AccessTokenType, body.GetProperty("issued_token_type").GetString());
        Assert.Equal("api.read", body.GetProperty("scope").GetString());
        Assert.False(body.TryGetProperty("refresh_token", out _));
        var claims = Jose.Payload(body.GetProperty("access_token").GetString()!);
        Assert.Equal(alice, claims["sub"]!.GetValue<string>());
        Assert.Equal(TokenExchangeUserFixture.Impersonator, claims["client_id"]!.GetValue<string>());
        Assert.Null(claims["act"]);

        // Not rotated, not consumed: the client's next refresh with the same token still works, and it may be exchanged again.
        await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(tokens.RefreshToken!, RefreshTokenType));
        await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, tokens.RefreshToken!);
    }

    [Fact]
    public async Task The_exchanged_token_is_inactive_once_the_refresh_token_family_is_revoked()
    {
        var tokens = await SignInAsync();
        var exchanged = (await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(tokens.RefreshToken!, RefreshTokenType)))
            .GetProperty("access_token").GetString()!;
        using (var active = await IntrospectAsync(exchanged))
        {
            await BackChannel.ActiveAsync(active);
        }

        await BackChannel.RevokedAsync(await CodeGrantSupport.RevokeAsync(_client, tokens.RefreshToken!, SignInClients.CW));

        using var inactive = await IntrospectAsync(exchanged);
        await BackChannel.InactiveAsync(inactive, "an exchanged token after its subject refresh token's family was revoked");
        await OAuthAssert.TokenErrorAsync(await ExchangeAsync(tokens.RefreshToken!, RefreshTokenType), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Reuse_detection_on_the_family_also_ends_the_exchanged_token()
    {
        var tokens = await SignInAsync();
        var exchanged = (await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(tokens.RefreshToken!, RefreshTokenType)))
            .GetProperty("access_token").GetString()!;

        await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, tokens.RefreshToken!);

        // An old generation is not exchanged (exchange never rotates, so it is no longer the family's token).
        await OAuthAssert.TokenErrorAsync(await ExchangeAsync(tokens.RefreshToken!, RefreshTokenType), HttpStatusCode.BadRequest, "invalid_request");

        // Presented at the refresh grant it is reuse: the family is revoked, and the exchanged token with it.
        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, tokens.RefreshToken!, "a reused refresh token");
        using var inactive = await IntrospectAsync(exchanged);
        await BackChannel.InactiveAsync(inactive, "an exchanged token after reuse detection revoked its family");
    }

    [Fact]
    public async Task Ending_the_users_sessions_in_the_admin_api_also_ends_the_exchanged_token()
    {
        var tokens = await SignInAsync(username: TokenExchangeUserFixture.Erin, password: TokenExchangeUserFixture.Password);
        var exchanged = (await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(tokens.RefreshToken!, RefreshTokenType)))
            .GetProperty("access_token").GetString()!;
        var admin = (await OAuthAssert.TokenSuccessAsync(await _client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", "admin")), Protocol.Basic(AdminClients.Admin, AdminClients.AdminSecret))))
            .GetProperty("access_token").GetString()!;
        var erin = await CodeGrantSupport.UserIdAsync(server.Database, TokenExchangeUserFixture.Erin);

        using var end = new HttpRequestMessage(HttpMethod.Delete, $"/admin/users/{erin}/sessions");
        end.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin);
        using var ended = await _client.SendAsync(end);
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);

        using var inactive = await IntrospectAsync(exchanged);
        await BackChannel.InactiveAsync(inactive, "an exchanged token after an administrator ended the user's sessions (and their grants)");
    }

    [Fact]
    public async Task An_id_token_is_exchanged_for_a_token_for_the_user_without_scope()
    {
        var tokens = await SignInAsync();
        var alice = await CodeGrantSupport.UserIdAsync(server.Database, SignInClients.AliceUsername);

        var body = await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(tokens.IdToken!, IdTokenType));
        var claims = Jose.Payload(body.GetProperty("access_token").GetString()!);
        Assert.Equal(alice, claims["sub"]!.GetValue<string>());
        Assert.False(body.TryGetProperty("scope", out _));

        // An ID token says who signed in, not what they granted: any scope is an escalation.
        await OAuthAssert.TokenErrorAsync(await ExchangeAsync(tokens.IdToken!, IdTokenType, more: ("scope", "api.read")), HttpStatusCode.BadRequest, "invalid_scope");

        // An access token is not an ID token, and a tampered ID token is no token at all.
        await OAuthAssert.TokenErrorAsync(await ExchangeAsync(tokens.AccessToken, IdTokenType), HttpStatusCode.BadRequest, "invalid_request");
        await OAuthAssert.TokenErrorAsync(await ExchangeAsync(tokens.IdToken![..^4] + "AAAA", IdTokenType), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Tokens_of_a_client_outside_the_policy_are_invalid_request()
    {
        var tokens = await SignInAsync(SignInClients.CV);

        foreach (var (token, type) in new[] { (tokens.RefreshToken!, RefreshTokenType), (tokens.IdToken!, IdTokenType), (tokens.AccessToken, AccessTokenType) })
        {
            var refused = await OAuthAssert.TokenErrorAsync(await ExchangeAsync(token, type), HttpStatusCode.BadRequest, "invalid_request");
            Assert.Contains("subject token's client", refused.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Impersonation_is_refused_unless_the_policy_allows_it_and_delegation_still_works()
    {
        var tokens = await SignInAsync();

        var refused = await OAuthAssert.TokenErrorAsync(
            await ExchangeAsync(tokens.RefreshToken!, RefreshTokenType, TokenExchangeUserFixture.Delegator), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("impersonation", refused.GetProperty("error_description").GetString(), StringComparison.Ordinal);

        var actor = (await OAuthAssert.TokenSuccessAsync(await _client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", "api.read")), Protocol.Basic(TestClients.C2, TestClients.C2Secret))))
            .GetProperty("access_token").GetString()!;
        var body = await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(tokens.RefreshToken!, RefreshTokenType, TokenExchangeUserFixture.Delegator,
            ("actor_token", actor), ("actor_token_type", AccessTokenType)));
        var claims = Jose.Payload(body.GetProperty("access_token").GetString()!);
        Assert.Equal("{\"sub\":\"" + TestClients.C2 + "\"}", claims["act"]!.ToJsonString());
    }

    [Theory]
    [InlineData(TokenExchangeUserFixture.Carol, "lockout_ends_at = now() + interval '1 hour'")]
    [InlineData(TokenExchangeUserFixture.Dave, "disabled = true")]
    public async Task A_locked_out_or_disabled_users_tokens_are_not_exchanged(string username, string change)
    {
        var tokens = await SignInAsync(username: username, password: TokenExchangeUserFixture.Password);
        await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(tokens.AccessToken, AccessTokenType));
        await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(tokens.RefreshToken!, RefreshTokenType));

        // The operator's or the lockout's change, made in the store (neither revokes the family by itself).
        await server.Database.QueryAsync($"UPDATE users SET {change} WHERE username = @u", ("u", username));

        foreach (var (token, type) in new[] { (tokens.RefreshToken!, RefreshTokenType), (tokens.IdToken!, IdTokenType), (tokens.AccessToken, AccessTokenType) })
        {
            await OAuthAssert.TokenErrorAsync(await ExchangeAsync(token, type), HttpStatusCode.BadRequest, "invalid_request");
        }
    }
}

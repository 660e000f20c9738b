using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// grant_type=refresh_token (RFC 6749 §6; OAuth 2.1 §4.3; RFC 9700 §4.14.2): rotation and reuse detection,
/// client binding, scope narrowing, integrity and format (RFC 6749 §6, RFC 9700 §4.14.2,
/// RFC 9700 §4.14.2, Keycloak issue #50999).
/// </summary>
public sealed class RefreshGrantTests(SignInFixture server) : IClassFixture<SignInFixture>
{
    private const string Scope = "openid profile offline_access api.read";

    private readonly HttpClient _client = server.Client;

    // RFC 9700 §2.2.2, §4.14.2 (RFC 9700 §4.14.2, ASVS 10.4.5): every refresh returns a new refresh token, and the old one no longer works.
    [Theory]
    [InlineData(SignInClients.CW)]
    [InlineData(SignInClients.PN)]
    public async Task Every_refresh_rotates_the_refresh_token(string clientId)
    {
        var first = await NewTokensAsync(clientId);
        var rt1 = first.RefreshToken!;

        var second = await CodeGrantSupport.RefreshedAsync(_client, clientId, rt1);
        Assert.NotEqual(rt1, second.RefreshToken);
        var third = await CodeGrantSupport.RefreshedAsync(_client, clientId, second.RefreshToken!);
        Assert.NotEqual(second.RefreshToken, third.RefreshToken);
        Assert.NotEqual(rt1, third.RefreshToken);
        Assert.Equal(OAuthAssert.ScopeSet(first.Body), OAuthAssert.ScopeSet(third.Body));
        await CodeGrantSupport.RefreshFailsAsync(_client, clientId, second.RefreshToken!, "RT2 after rotation to RT3");
    }

    // RFC 9700 §4.14.2 (ASVS 10.4.5): presenting a rotated token revokes the whole family: the newest
    // refresh token and the access token issued with it stop working.
    [Fact]
    public async Task Reusing_a_rotated_refresh_token_is_invalid_grant_and_revokes_the_family()
    {
        var first = await NewTokensAsync(SignInClients.CW);
        var second = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, first.RefreshToken!);
        await CodeGrantSupport.AssertActiveAsync(_client, second.AccessToken, SignInClients.CW);

        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, first.RefreshToken!, "RT1 after rotation to RT2");

        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, second.RefreshToken!, "RT2 after RT1 was reused (family revoked)");
        await CodeGrantSupport.AssertInactiveAsync(_client, second.AccessToken, SignInClients.CW, "the latest access token of a revoked family");
    }

    // RFC 9700 §4.14.2 for the public client (the case rotation exists for).
    [Fact]
    public async Task A_public_clients_reused_refresh_token_revokes_its_family()
    {
        var first = await NewTokensAsync(SignInClients.PN);
        var second = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.PN, first.RefreshToken!);

        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.PN, first.RefreshToken!, "PN's RT1 after rotation");
        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.PN, second.RefreshToken!, "PN's RT2 after RT1 was reused");
    }

    // Revoking one family leaves the user's other grants alone.
    [Fact]
    public async Task Reuse_revokes_only_its_own_family()
    {
        var victim = await NewTokensAsync(SignInClients.CW);
        var other = await NewTokensAsync(SignInClients.CW);
        await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, victim.RefreshToken!);
        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, victim.RefreshToken!, "a reused token");

        var refreshed = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, other.RefreshToken!);
        await CodeGrantSupport.AssertActiveAsync(_client, refreshed.AccessToken, SignInClients.CW);
    }

    // RFC 7009 §2.1, docs/adr/0040: the access tokens of a family name it (fam), and ending the family denies every one
    // issued before, at introspection and at UserInfo, while another family's tokens stay usable.
    [Fact]
    public async Task Ending_a_family_refuses_every_access_token_it_issued_and_no_other_familys()
    {
        var victim = await NewTokensAsync(SignInClients.CW);
        var rotated = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, victim.RefreshToken!);
        var other = await NewTokensAsync(SignInClients.CW);
        var family = Jose.Payload(victim.AccessToken)["fam"]!.GetValue<string>();
        Assert.Equal(family, Jose.Payload(rotated.AccessToken)["fam"]!.GetValue<string>());
        Assert.NotEqual(family, Jose.Payload(other.AccessToken)["fam"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, await UserInfoStatusAsync(victim.AccessToken));

        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, victim.RefreshToken!, "RT1 after rotation to RT2");

        await CodeGrantSupport.AssertAllInactiveAsync(_client, SignInClients.CW, "the access tokens of the ended family",
            ("from the code", victim.AccessToken), ("from the refresh", rotated.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await UserInfoStatusAsync(victim.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await UserInfoStatusAsync(rotated.AccessToken));
        await CodeGrantSupport.AssertActiveAsync(_client, other.AccessToken, SignInClients.CW);
        Assert.Equal(HttpStatusCode.OK, await UserInfoStatusAsync(other.AccessToken));

        // One denylist entry for the family, kept until its last access token expires.
        var row = Assert.Single(await server.Database.QueryAsync(
            "SELECT floor(extract(epoch FROM expires_at))::bigint FROM revoked_access_tokens WHERE jti = @jti", ("jti", "family:" + family)));
        Assert.Equal(Jose.Payload(rotated.AccessToken)["exp"]!.GetValue<long>(), (long)row[0]);
    }

    // docs/adr/0040: an access token issued before the upgrade names no family; the family's list of such tokens (kept from
    // then) still denies it when the family ends afterwards.
    [Fact]
    public async Task A_token_listed_on_its_family_before_the_upgrade_is_refused_when_the_family_ends()
    {
        var tokens = await NewTokensAsync(SignInClients.CW);
        using var keys = await ServerSigningKeys.LoadAsync(server.Database);
        var header = Jose.Header(tokens.AccessToken);
        Assert.Equal("ES256", header["alg"]!.GetValue<string>());
        var payload = Jose.Payload(tokens.AccessToken);
        var family = payload["fam"]!.GetValue<string>();
        payload.Remove("fam");
        payload["jti"] = "pre-upgrade-" + CodeGrantSupport.RandomBase64Url(16);
        var legacy = keys.SignEs256(header, payload.ToJsonString());
        var expires = DateTimeOffset.FromUnixTimeSeconds(payload["exp"]!.GetValue<long>()).ToString("O");
        var listed = await server.Database.ScalarAsync<long>(
            "WITH listed AS (UPDATE refresh_token_families SET access_tokens = @list " +
            "WHERE id = (SELECT family_id FROM refresh_tokens WHERE token_hash = @hash) RETURNING 1) SELECT count(*) FROM listed",
            ("list", $"[{{\"JwtId\":\"{payload["jti"]!.GetValue<string>()}\",\"ExpiresAt\":\"{expires}\"}}]"),
            ("hash", AuthService.Domain.Common.OpaqueToken.HashOf(tokens.RefreshToken!)));
        Assert.Equal(1L, listed);
        await CodeGrantSupport.AssertActiveAsync(_client, legacy, SignInClients.CW);
        var rotated = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, tokens.RefreshToken!);

        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, tokens.RefreshToken!, "RT1 after rotation to RT2");

        await CodeGrantSupport.AssertAllInactiveAsync(_client, SignInClients.CW, "every access token of the ended family",
            ("listed before the upgrade", legacy), ("naming the family", rotated.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await UserInfoStatusAsync(legacy));
        Assert.Equal(1L, await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM revoked_access_tokens WHERE jti = @jti", ("jti", "family:" + family)));
    }

    private async Task<HttpStatusCode> UserInfoStatusAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new("Bearer", accessToken);
        using var response = await _client.SendAsync(request);
        return response.StatusCode;
    }

    // Keycloak issue #50999: three rotations in quick succession (within one second), then the middle token.
    [Fact]
    public async Task Three_rotations_within_a_second_then_replaying_the_middle_token_is_invalid_grant()
    {
        var rt1 = (await NewTokensAsync(SignInClients.CW)).RefreshToken!;

        var rt2 = (await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, rt1)).RefreshToken!;
        var rt3 = (await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, rt2)).RefreshToken!;
        var latest = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, rt3);

        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, rt2, "the middle token of three quick rotations");
        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, latest.RefreshToken!, "the newest token after the middle one was replayed");
        await CodeGrantSupport.AssertInactiveAsync(_client, latest.AccessToken, SignInClients.CW, "the newest access token after the middle refresh token was replayed");
    }

    // RFC 6749 §6: CV, authenticated with its own credentials, presents CW's token; CW's token is not revoked by it.
    [Fact]
    public async Task Another_client_cannot_use_the_refresh_token_and_does_not_revoke_it()
    {
        var tokens = await NewTokensAsync(SignInClients.CW);

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RefreshAsync(_client, SignInClients.CV, tokens.RefreshToken!), "CV presents CW's refresh token");
        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RefreshAsync(_client, SignInClients.PN, tokens.RefreshToken!), "PN presents CW's refresh token");

        var refreshed = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, tokens.RefreshToken!);
        await CodeGrantSupport.AssertActiveAsync(_client, refreshed.AccessToken, SignInClients.CW);
        await CodeGrantSupport.AssertActiveAsync(_client, tokens.AccessToken, SignInClients.CW);
    }

    // RFC 6749 §6: a confidential client refreshes only when authenticated; nothing is revoked by the attempt.
    [Fact]
    public async Task A_confidential_client_refreshing_without_authentication_is_invalid_client()
    {
        var tokens = await NewTokensAsync(SignInClients.CW);

        using (var namedOnly = await CodeFlowTokens.RefreshAsync(_client, SignInClients.CW, secret: null, tokens.RefreshToken!))
        {
            await OAuthAssert.TokenErrorAsync(namedOnly, HttpStatusCode.BadRequest, "invalid_client");
        }

        using (var anonymous = await _client.PostTokenAsync(Protocol.Form(("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken!))))
        {
            await OAuthAssert.TokenErrorAsync(anonymous, HttpStatusCode.BadRequest, "invalid_client");
        }

        using (var wrongSecret = await CodeFlowTokens.RefreshAsync(_client, SignInClients.CW, "wrong-secret-0123456789", tokens.RefreshToken!))
        {
            await OAuthAssert.TokenErrorAsync(wrongSecret, HttpStatusCode.Unauthorized, "invalid_client");
        }

        await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, tokens.RefreshToken!);
    }

    // RFC 6749 §6: the scope may be narrowed; the response's scope is the narrowed one.
    [Fact]
    public async Task A_refresh_may_narrow_the_scope()
    {
        var tokens = await NewTokensAsync(SignInClients.CW);

        var narrowed = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, tokens.RefreshToken!, "openid");

        Assert.Equal(["openid"], OAuthAssert.ScopeSet(narrowed.Body));
        Assert.Equal("openid", Jose.Payload(narrowed.AccessToken)["scope"]!.GetValue<string>());
        var introspected = await CodeGrantSupport.AssertActiveAsync(_client, narrowed.AccessToken, SignInClients.CW);
        Assert.Equal("openid", introspected.GetProperty("scope").GetString());
    }

    // RFC 9700 §4.14.2 (OAuth 2.1 §4.3.1; RFC 6749 §6): a scope not originally granted is invalid_scope, whether the client
    // may ask for it (email) or not (api.write).
    [Theory]
    [InlineData("openid api.write")]
    [InlineData("openid email")]
    [InlineData("email")]
    public async Task A_refresh_may_not_widen_the_scope(string scope)
    {
        var tokens = await NewTokensAsync(SignInClients.CW);

        using var response = await CodeGrantSupport.RefreshAsync(_client, SignInClients.CW, tokens.RefreshToken!, scope);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    // RFC 9700 §4.14.2: a refresh token with one character changed is not a refresh token, and the real one is untouched.
    [Fact]
    public async Task A_refresh_token_with_one_character_flipped_is_invalid_grant()
    {
        var tokens = await NewTokensAsync(SignInClients.CW);
        var token = tokens.RefreshToken!;

        foreach (var position in new[] { 0, token.Length / 2, token.Length - 1 })
        {
            var flipped = token[..position] + (token[position] == 'A' ? 'B' : 'A') + token[(position + 1)..];
            await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, flipped, $"the refresh token with character {position} flipped");
        }

        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, token + "A", "the refresh token with a character appended");
        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, token[..^1], "the refresh token with its last character cut");

        // Guessing at a token does not revoke the real one.
        await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, token);
    }

    // (RFC 6749 Appendix A.17 VSCHAR): the refresh token is 43 characters of the base64url alphabet (256 bits).
    [Fact]
    public async Task Refresh_tokens_are_43_base64url_characters_and_distinct()
    {
        var tokens = await NewTokensAsync(SignInClients.CW);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = tokens.RefreshToken!;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(43, current.Length);
            Assert.True(current.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), $"Not base64url: {current}");
            Assert.True(current.All(c => c is >= '\x20' and <= '\x7e'), $"Not VSCHAR: {current}");
            Assert.True(seen.Add(current), $"A refresh token was issued twice: {current}");
            current = (await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, current)).RefreshToken!;
        }
    }

    // A missing refresh_token parameter is invalid_request (RFC 6749 §5.2).
    [Fact]
    public async Task A_refresh_without_refresh_token_is_invalid_request()
    {
        using var response = await CodeFlowTokens.PostAsync(_client, SignInClients.CW, SignInClients.CWSecret,
            new Dictionary<string, string> { ["grant_type"] = "refresh_token" });

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    // A code is not a refresh token either (CVE-2026-4282 the other way round).
    [Fact]
    public async Task An_authorization_code_presented_as_a_refresh_token_is_invalid_grant()
    {
        var pkce = PkcePair.New();
        using var browser = server.NewBrowser();
        var code = await CodeGrantSupport.CodeAsync(browser, SignInClients.CW, Scope, pkce);

        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, code, "a code as refresh token");

        using var redeemed = await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, SignInClients.CWRedirect);
        await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true);
    }

    private async Task<GrantTokens> NewTokensAsync(string clientId)
    {
        using var browser = server.NewBrowser();
        var tokens = await CodeGrantSupport.TokensAsync(browser, _client, clientId, clientId == SignInClients.PN ? "openid offline_access api.read" : Scope);
        Assert.False(string.IsNullOrEmpty(tokens.RefreshToken), $"offline_access was granted: {tokens.Body}");
        return tokens;
    }
}

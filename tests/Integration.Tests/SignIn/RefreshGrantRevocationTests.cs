using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// Refresh tokens at the revocation (RFC 7009) and introspection (RFC 7662) endpoints
/// (RFC 7009 §2.2): revoking a refresh token revokes its family and the latest
/// access token issued from it; a current refresh token introspects as active to its client, a rotated
/// or revoked one as exactly <c>{"active":false}</c>.
/// </summary>
public sealed class RefreshGrantRevocationTests(SignInFixture server) : IClassFixture<SignInFixture>
{
    private const string Scope = "openid offline_access api.read";

    private readonly HttpClient _client = server.Client;

    // RFC 7009 §2.1: the family goes, and the access tokens of the grant with it.
    [Theory]
    [InlineData(null)]
    [InlineData("refresh_token")]
    [InlineData("access_token")]
    public async Task Revoking_a_refresh_token_revokes_its_family_and_its_latest_access_token(string? hint)
    {
        var first = await NewTokensAsync();
        var latest = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, first.RefreshToken!);
        await CodeGrantSupport.AssertActiveAsync(_client, latest.AccessToken, SignInClients.CW);

        using (var revoked = await CodeGrantSupport.RevokeAsync(_client, latest.RefreshToken!, SignInClients.CW, hint))
        {
            await BackChannel.RevokedAsync(revoked);
        }

        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, latest.RefreshToken!, $"a revoked refresh token (hint {hint ?? "none"})");
        await CodeGrantSupport.AssertInactiveAsync(_client, latest.AccessToken, SignInClients.CW, "the latest access token of a revoked refresh token's family");
        await CodeGrantSupport.AssertInactiveAsync(_client, latest.RefreshToken!, SignInClients.CW, "a revoked refresh token at introspection");

        // Revoking it again is still 200 (RFC 7009 §2.2: an invalid token needs no action).
        using var again = await CodeGrantSupport.RevokeAsync(_client, latest.RefreshToken!, SignInClients.CW, hint);
        await BackChannel.RevokedAsync(again);
    }

    // RFC 7009 §2.1 ("the ATs issued under the same grant ... are inactive"): revoking a refresh token
    // "SHOULD also invalidate all access tokens based on the same authorization grant", not only the latest one.
    [Fact]
    public async Task Revoking_a_refresh_token_makes_every_access_token_of_the_grant_inactive()
    {
        var first = await NewTokensAsync();
        var second = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, first.RefreshToken!);
        var third = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, second.RefreshToken!);
        foreach (var accessToken in new[] { first.AccessToken, second.AccessToken, third.AccessToken })
        {
            await CodeGrantSupport.AssertActiveAsync(_client, accessToken, SignInClients.CW);
        }

        using (var revoked = await CodeGrantSupport.RevokeAsync(_client, third.RefreshToken!, SignInClients.CW, "refresh_token"))
        {
            await BackChannel.RevokedAsync(revoked);
        }

        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, third.RefreshToken!, "the revoked refresh token");
        await CodeGrantSupport.AssertAllInactiveAsync(_client, SignInClients.CW, "after revoking RT3 (RFC 7009 §2.1)",
            ("AT3 (issued with RT3)", third.AccessToken),
            ("AT2 (issued by the refresh with RT1)", second.AccessToken),
            ("AT1 (issued by the code redemption)", first.AccessToken));
    }

    // RFC 7009 §2.1: another client's revocation of the token is refused and changes nothing.
    [Fact]
    public async Task Another_client_cannot_revoke_the_refresh_token()
    {
        var tokens = await NewTokensAsync();

        using (var refused = await CodeGrantSupport.RevokeAsync(_client, tokens.RefreshToken!, SignInClients.CV))
        {
            var (status, error, text) = await CodeGrantSupport.OutcomeAsync(refused);
            Assert.True(status != 200, $"CV's revocation of CW's refresh token must be refused (RFC 7009 §2.1), got {status}: {text}");

            // The existing convention for access tokens (RevocationTests): 400 unauthorized_client.
            Assert.True(status == 400 && error == "unauthorized_client", $"Expected 400 unauthorized_client as for access tokens, got {status}: {text}");
        }

        var refreshed = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, tokens.RefreshToken!);
        await CodeGrantSupport.AssertActiveAsync(_client, refreshed.AccessToken, SignInClients.CW);
    }

    // RFC 7662 §2.2: an active refresh token, as its client sees it.
    [Theory]
    [InlineData(null)]
    [InlineData("refresh_token")]
    public async Task A_current_refresh_token_introspects_as_active_to_its_client(string? hint)
    {
        var tokens = await NewTokensAsync();
        var sub = await CodeGrantSupport.UserIdAsync(server.Database, SignInClients.AliceUsername);

        using var response = await CodeGrantSupport.IntrospectAsync(_client, tokens.RefreshToken!, SignInClients.CW, hint);
        var body = await BackChannel.ActiveAsync(response);

        Assert.Equal(SignInClients.CW, body.GetProperty("client_id").GetString());
        Assert.Equal("refresh_token", body.GetProperty("token_type").GetString());
        Assert.Equal(Scope.Split(' ').Order(StringComparer.Ordinal), OAuthAssert.ScopeSet(body));
        Assert.Equal(sub, body.GetProperty("sub").GetString(), ignoreCase: true);
        Assert.Equal(JsonValueKind.Number, body.GetProperty("exp").ValueKind);
        var exp = DateTimeOffset.FromUnixTimeSeconds(body.GetProperty("exp").GetInt64());
        Assert.True(exp > DateTimeOffset.UtcNow, $"exp of an active refresh token is in the future: {body}");
        Assert.True(exp < DateTimeOffset.UtcNow.AddDays(400), $"exp is in seconds, not milliseconds: {body}");
        Assert.False(body.TryGetProperty("refresh_token", out _));
    }

    // RFC 7662 §2.2: a rotated refresh token is inactive: exactly {"active":false}; and introspecting it is not reuse.
    [Fact]
    public async Task A_rotated_refresh_token_introspects_as_inactive()
    {
        var tokens = await NewTokensAsync();
        var rotated = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, tokens.RefreshToken!);

        await CodeGrantSupport.AssertInactiveAsync(_client, tokens.RefreshToken!, SignInClients.CW, "a rotated refresh token");

        using var current = await CodeGrantSupport.IntrospectAsync(_client, rotated.RefreshToken!, SignInClients.CW);
        await BackChannel.ActiveAsync(current);
    }

    // RFC 7662 §2.1, §4 (token scanning): another client learns nothing about the refresh token.
    [Fact]
    public async Task Another_client_introspecting_the_refresh_token_sees_it_inactive()
    {
        var tokens = await NewTokensAsync();

        await CodeGrantSupport.AssertInactiveAsync(_client, tokens.RefreshToken!, SignInClients.CV, "CW's refresh token introspected by CV");

        // And the token still works for its client.
        await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, tokens.RefreshToken!);
    }

    // RFC 7009 §2.2: an unknown token of refresh-token shape is revoked with 200 and nothing else happens.
    [Fact]
    public async Task Revoking_an_unknown_refresh_token_is_200()
    {
        var tokens = await NewTokensAsync();

        using (var response = await CodeGrantSupport.RevokeAsync(_client, CodeGrantSupport.RandomBase64Url(43), SignInClients.CW, "refresh_token"))
        {
            await BackChannel.RevokedAsync(response);
        }

        await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, tokens.RefreshToken!);
    }

    // Revoking a code-flow access token (RFC 7009 §2.1; whether the refresh token goes too is the server's choice).
    [Fact]
    public async Task Revoking_a_code_flow_access_token_makes_it_inactive()
    {
        var tokens = await NewTokensAsync();

        using (var response = await CodeGrantSupport.RevokeAsync(_client, tokens.AccessToken, SignInClients.CW))
        {
            await BackChannel.RevokedAsync(response);
        }

        await CodeGrantSupport.AssertInactiveAsync(_client, tokens.AccessToken, SignInClients.CW, "a revoked access token");
    }

    private async Task<GrantTokens> NewTokensAsync()
    {
        using var browser = server.NewBrowser();
        var tokens = await CodeGrantSupport.TokensAsync(browser, _client, SignInClients.CW, Scope);
        Assert.False(string.IsNullOrEmpty(tokens.RefreshToken));
        return tokens;
    }
}

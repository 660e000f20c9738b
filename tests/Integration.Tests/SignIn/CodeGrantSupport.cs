using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>The tokens of one successful code redemption or refresh, and the whole response body.</summary>
public sealed record GrantTokens(JsonElement Body, string AccessToken, string? RefreshToken, string? IdToken)
{
    public static GrantTokens From(JsonElement body) => new(
        body,
        body.GetProperty("access_token").GetString()!,
        body.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
        body.TryGetProperty("id_token", out var id) ? id.GetString() : null);
}

/// <summary>
/// Helpers of the code-grant, refresh-grant and ID-token tests: obtaining codes and tokens through the real sign-in pages, the
/// TOKEN-ERROR checks, and introspection and revocation as the owning client.
/// </summary>
internal static class CodeGrantSupport
{
    public const string TokenPath = "/connect/token";
    public const string JwksPath = "/.well-known/jwks.json";

    /// <summary>The secret of a fixture client of <see cref="SignInClients"/> (null for the public PN).</summary>
    public static string? SecretOf(string clientId) => clientId switch
    {
        SignInClients.CW => SignInClients.CWSecret,
        SignInClients.CV => SignInClients.CVSecret,
        SignInClients.CF => SignInClients.CFSecret,
        SignInClients.PN => null,
        _ => throw new ArgumentOutOfRangeException(nameof(clientId), clientId, "Not a sign-in fixture client."),
    };

    public static string RedirectOf(string clientId) => clientId switch
    {
        SignInClients.CW => SignInClients.CWRedirect,
        SignInClients.CV => SignInClients.CVRedirect,
        SignInClients.CF => SignInClients.CFRedirect,
        SignInClients.PN => SignInClients.PNRedirect,
        _ => throw new ArgumentOutOfRangeException(nameof(clientId), clientId, "Not a sign-in fixture client."),
    };

    /// <summary>A browser on any in-process server (e.g. a <see cref="ClockedServer"/>), like <see cref="SignInFixture.NewBrowser"/>.</summary>
    public static Browser NewBrowser(AuthServerFactory factory) => new(factory.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri("https://localhost"),
    }));

    /// <summary>A PKCE pair with a verifier of the test's choosing (possibly malformed) and its S256 challenge over the UTF-8 bytes.</summary>
    public static PkcePair PkceFor(string verifier) =>
        new(verifier, PkcePair.Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(verifier))));

    /// <summary><paramref name="length"/> random characters of the base64url alphabet.</summary>
    public static string RandomBase64Url(int length)
    {
        var text = PkcePair.Base64Url(RandomNumberGenerator.GetBytes(length));
        return text[..length];
    }

    /// <summary>A code for <paramref name="clientId"/> on its registered redirect, signed in as alice unless told otherwise.</summary>
    public static Task<string> CodeAsync(Browser browser, string clientId, string scope, PkcePair pkce, string? nonce = "n-1",
        string username = SignInClients.AliceUsername, string password = SignInClients.AlicePassword) =>
        browser.CodeAsync(clientId, RedirectOf(clientId), scope, pkce, nonce, username, password);

    /// <summary>Redeems a code as <paramref name="clientId"/> (Basic for confidential clients, client_id in the body for PN).</summary>
    public static Task<HttpResponseMessage> RedeemAsync(HttpClient client, string clientId, string code, string? verifier, string? redirectUri) =>
        CodeFlowTokens.RedeemAsync(client, clientId, SecretOf(clientId), code, verifier, redirectUri);

    /// <summary>Signs in (if the browser has no session), consents, and redeems: the whole happy path; asserts 200.</summary>
    public static async Task<GrantTokens> TokensAsync(Browser browser, HttpClient client, string clientId, string scope, string? nonce = "n-1",
        string username = SignInClients.AliceUsername, string password = SignInClients.AlicePassword)
    {
        var pkce = PkcePair.New();
        var code = await CodeAsync(browser, clientId, scope, pkce, nonce, username, password);
        using var response = await RedeemAsync(client, clientId, code, pkce.Verifier, RedirectOf(clientId));
        return GrantTokens.From(await OAuthAssert.TokenSuccessAsync(response, codeFlow: true));
    }

    public static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string clientId, string refreshToken, string? scope = null) =>
        CodeFlowTokens.RefreshAsync(client, clientId, SecretOf(clientId), refreshToken, scope);

    /// <summary>Refreshes and asserts 200 with a refresh token.</summary>
    public static async Task<GrantTokens> RefreshedAsync(HttpClient client, string clientId, string refreshToken, string? scope = null)
    {
        using var response = await RefreshAsync(client, clientId, refreshToken, scope);
        var tokens = GrantTokens.From(await OAuthAssert.TokenSuccessAsync(response, codeFlow: true));
        Assert.False(string.IsNullOrEmpty(tokens.RefreshToken), $"A refresh must return a new refresh token (rotation): {tokens.Body}");
        return tokens;
    }

    /// <summary>TOKEN-ERROR(invalid_grant) with HTTP 400.</summary>
    public static async Task InvalidGrantAsync(HttpResponseMessage response, string because)
    {
        using (response)
        {
            var text = await Peek(response);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: expected 400 invalid_grant, got {(int)response.StatusCode}: {text}");
            await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
        }
    }

    /// <summary>A refresh with <paramref name="refreshToken"/> by its own client fails with invalid_grant.</summary>
    public static async Task RefreshFailsAsync(HttpClient client, string clientId, string refreshToken, string because) =>
        await InvalidGrantAsync(await RefreshAsync(client, clientId, refreshToken), because);

    public static AuthenticationHeaderValue BasicOf(string clientId) => Protocol.Basic(clientId, SecretOf(clientId)!);

    /// <summary>Introspection (RFC 7662) as the confidential client <paramref name="clientId"/>, optionally with a token_type_hint.</summary>
    public static Task<HttpResponseMessage> IntrospectAsync(HttpClient client, string token, string clientId, string? hint = null) =>
        client.PostTokenAsync(hint is null ? Protocol.Form(("token", token)) : Protocol.Form(("token", token), ("token_type_hint", hint)),
            BasicOf(clientId), BackChannel.IntrospectionPath);

    /// <summary>Revocation (RFC 7009) as the confidential client <paramref name="clientId"/>, optionally with a token_type_hint.</summary>
    public static Task<HttpResponseMessage> RevokeAsync(HttpClient client, string token, string clientId, string? hint = null) =>
        client.PostTokenAsync(hint is null ? Protocol.Form(("token", token)) : Protocol.Form(("token", token), ("token_type_hint", hint)),
            BasicOf(clientId), BackChannel.RevocationPath);

    /// <summary>The access token is active at introspection by its client.</summary>
    public static async Task<JsonElement> AssertActiveAsync(HttpClient client, string accessToken, string clientId)
    {
        using var response = await IntrospectAsync(client, accessToken, clientId);
        return await BackChannel.ActiveAsync(response);
    }

    /// <summary>The token is exactly <c>{"active":false}</c> at introspection by its client.</summary>
    public static async Task AssertInactiveAsync(HttpClient client, string token, string clientId, string because)
    {
        using var response = await IntrospectAsync(client, token, clientId);
        await BackChannel.InactiveAsync(response, because);
    }

    /// <summary>Every one of the named tokens is exactly <c>{"active":false}</c>; the failure names all that are still active.</summary>
    public static async Task AssertAllInactiveAsync(HttpClient client, string clientId, string because, params (string Name, string Token)[] tokens)
    {
        var active = new List<string>();
        foreach (var (name, token) in tokens)
        {
            using var response = await IntrospectAsync(client, token, clientId);
            var text = await Peek(response);
            if (response.StatusCode != HttpStatusCode.OK || text != BackChannel.Inactive)
            {
                active.Add($"{name}: {(int)response.StatusCode} {text}");
            }
        }

        Assert.True(active.Count == 0, $"{because}: expected every one of [{string.Join(", ", tokens.Select(t => t.Name))}] to be exactly {BackChannel.Inactive}, " +
            $"but {active.Count} {(active.Count == 1 ? "is" : "are")} not:\n{string.Join("\n", active)}");
    }

    /// <summary>The id of a user in the server's database (the <c>sub</c> the tokens must carry).</summary>
    public static async Task<string> UserIdAsync(TestDatabase database, string username)
    {
        var rows = await database.QueryAsync("SELECT id::text FROM users WHERE username = @u", ("u", username));
        var row = Assert.Single(rows);
        return (string)row[0];
    }

    public static async Task<string> JwksAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri(JwksPath, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The status and error code of a token-endpoint answer, for messages and tallies.</summary>
    public static async Task<(int Status, string? Error, string Text)> OutcomeAsync(HttpResponseMessage response)
    {
        var text = await Peek(response);
        string? error = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var e))
            {
                error = e.GetString();
            }
        }
        catch (JsonException)
        {
        }

        return ((int)response.StatusCode, error, text);
    }

    /// <summary>The body as text, leaving the content readable again (it is buffered by the test server).</summary>
    private static async Task<string> Peek(HttpResponseMessage response)
    {
        await response.Content.LoadIntoBufferAsync();
        return await response.Content.ReadAsStringAsync();
    }
}

using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;

namespace AuthService.Integration.Tests.Admin;

/// <summary>Users made through the admin API and signed in through the real sign-in pages.</summary>
internal static class UserAdmin
{
    public const string Password = "first-password-0123";
    public const string Scope = "openid offline_access";

    /// <summary>A username no other test uses.</summary>
    public static string NewUsername(string prefix = "u") => $"{prefix}-{Guid.NewGuid():N}"[..20];

    public static async Task<JsonElement> CreateAsync(this HttpClient admin, string username, string? password = Password, string? email = null, string? name = null)
    {
        using var response = await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Post, "/admin/users",
            new Dictionary<string, object?> { ["username"] = username, ["email"] = email, ["name"] = name, ["password"] = password }));
        return await response.ExpectAsync(HttpStatusCode.Created);
    }

    public static string Id(this JsonElement user) => user.GetProperty("id").GetString()!;

    public static async Task<(JsonElement User, string ETag)> GetUserAsync(this HttpClient admin, string id)
    {
        using var response = await admin.GetAsync($"/admin/users/{id}");
        var body = await response.ExpectAsync(HttpStatusCode.OK);
        return (body, response.Headers.ETag!.Tag);
    }

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient admin, HttpMethod method, string path, object? body = null, string? ifMatch = null) =>
        await admin.SendAsync(Infrastructure.Admin.Request(method, path, body, ifMatch));

    /// <summary>Signs in through the sign-in page (CW, consenting) and returns the tokens and the browser.</summary>
    public static async Task<(Browser Browser, EndSessionTokens Tokens)> SignInAsync(AdminFixture server, string username, string password = Password)
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, Scope, username: username, password: password);
        Assert.NotNull(tokens.RefreshToken);
        return (browser, tokens);
    }

    /// <summary>A sign-in attempt on the page that must fail with the one failure message.</summary>
    public static async Task AssertSignInFailsAsync(AdminFixture server, string username, string password)
    {
        using var browser = server.NewBrowser();
        var (response, html) = await SignInFailure.AttemptAsync(browser, Browser.AuthorizeUrl(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New()), username, password);
        SignInFailure.AssertFailed(response, html);
    }
}

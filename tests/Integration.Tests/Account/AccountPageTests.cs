using System.Net;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.SignIn;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.Account;

/// <summary>
/// The account page: without a session to its sign-in, the sign-in through the shared password check (a new session handle,
/// ASVS 7.2.4), the page behind the session, sign-out ending the session, and the anti-forgery check of its POSTs (RFC 6749 §10.12).
/// </summary>
public sealed partial class AccountPageTests(AuthorizeFixture server) : IClassFixture<AuthorizeFixture>
{
    [Fact]
    public async Task Without_a_session_the_page_sends_to_its_sign_in_which_returns_to_the_page_signed_in()
    {
        using var client = server.NewRawClient();
        using var anonymous = await SendAsync(client, HttpMethod.Get, "/account", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.SeeOther, anonymous.StatusCode);
        Assert.Equal("/account/signin", anonymous.Headers.Location?.OriginalString);

        var session = await SignInAsync(client, "m01");

        using var page = await SendAsync(client, HttpMethod.Get, "/account", session);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<dd id=\"username\">m01</dd>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/account/security\"", html, StringComparison.Ordinal);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_re_renders_the_sign_in_with_one_message_and_no_session()
    {
        using var client = server.NewRawClient();
        var (csrf, cookies) = await SignInPageAsync(client);

        using var failed = await SendAsync(client, HttpMethod.Post, "/account/signin", cookies,
            new Dictionary<string, string> { ["csrf_token"] = csrf, ["username"] = "m02", ["password"] = "wrong-password-0123456" });

        Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
        Assert.Contains("role=\"alert\"", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(SetCookieValue(failed, AuthorizeSeed.SessionCookie));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0000000000000000000000000000000000000000000")]
    public async Task A_sign_in_without_the_anti_forgery_token_is_refused(string? token)
    {
        using var client = server.NewRawClient();
        var (_, cookies) = await SignInPageAsync(client);
        var form = new Dictionary<string, string> { ["username"] = "m03", ["password"] = AuthorizeSeed.Password };
        if (token is not null)
        {
            form["csrf_token"] = token;
        }

        using var refused = await SendAsync(client, HttpMethod.Post, "/account/signin", cookies, form);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Null(SetCookieValue(refused, AuthorizeSeed.SessionCookie));
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_a_sign_out_without_the_token_ends_nothing()
    {
        using var client = server.NewRawClient();
        var session = await SignInAsync(client, "m04");

        using var forged = await SendAsync(client, HttpMethod.Post, "/account/signout", session, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using (var still = await SendAsync(client, HttpMethod.Get, "/account", session))
        {
            Assert.Equal(HttpStatusCode.OK, still.StatusCode);
        }

        using var signedOut = await SendAsync(client, HttpMethod.Post, "/account/signout", session,
            new Dictionary<string, string> { ["csrf_token"] = session[AuthorizeSeed.CsrfCookie] });
        Assert.Equal(HttpStatusCode.OK, signedOut.StatusCode);

        using var after = await SendAsync(client, HttpMethod.Get, "/account", session);
        Assert.Equal(HttpStatusCode.SeeOther, after.StatusCode);
    }

    private static async Task<(string Csrf, Dictionary<string, string> Cookies)> SignInPageAsync(HttpClient client)
    {
        using var page = await SendAsync(client, HttpMethod.Get, "/account/signin", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal("/account/signin", FormAction(html));
        var csrf = SetCookieValue(page, AuthorizeSeed.CsrfCookie)!;
        Assert.Equal(csrf, CsrfField().Match(html).Groups[1].Value);
        return (csrf, new Dictionary<string, string> { [AuthorizeSeed.CsrfCookie] = csrf });
    }

    /// <summary>Signs <paramref name="member"/> in on the account sign-in page: the cookies of the signed-in browser.</summary>
    private static async Task<Dictionary<string, string>> SignInAsync(HttpClient client, string member)
    {
        var (csrf, cookies) = await SignInPageAsync(client);
        using var signedIn = await SendAsync(client, HttpMethod.Post, "/account/signin", cookies,
            new Dictionary<string, string> { ["csrf_token"] = csrf, ["username"] = member, ["password"] = AuthorizeSeed.Password });
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal("/account?status=signed-in", signedIn.Headers.Location?.OriginalString);
        cookies[AuthorizeSeed.SessionCookie] = SetCookieValue(signedIn, AuthorizeSeed.SessionCookie)!;
        return cookies;
    }

    [GeneratedRegex("name=\"csrf_token\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}

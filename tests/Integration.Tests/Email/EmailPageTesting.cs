using System.Net;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Email;

/// <summary>Driving the e-mail pages as a browser without JavaScript does.</summary>
internal static partial class EmailPageTesting
{
    public const string ForgotPath = "/account/forgot-password";

    /// <summary>Asks for a reset link for <paramref name="email"/> on the forgot-password page; returns the answer.</summary>
    public static async Task<HttpResponseMessage> AskForResetAsync(Browser browser, string email)
    {
        using var page = await browser.GetAsync(ForgotPath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await browser.SubmitAsync(await page.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["email"] = email });
    }

    /// <summary>Opens a link's page (a GET, which never uses the link up) and asserts the form is shown without leaking the token in a Referer.</summary>
    public static async Task<string> OpenLinkAsync(Browser browser, string link)
    {
        using var response = await browser.GetAsync(link);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected the link's form, got {(int)response.StatusCode}: {html}");
        Assert.Equal("no-referrer", string.Join(',', response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return html;
    }

    /// <summary>Asserts the 400 page of a refused link, with <paramref name="why"/>.</summary>
    public static async Task AssertRefusedAsync(HttpResponseMessage response, string why)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {html}");
        Assert.Contains("Link not valid", html, StringComparison.Ordinal);
        Assert.Contains(why, html, StringComparison.Ordinal);
    }

    /// <summary>A used link: its GET and the POST of its form (<paramref name="form"/>) both get the "already been used" page.</summary>
    public static async Task AssertUsedUpAsync(Browser browser, string link, string form)
    {
        using var reopened = await browser.GetAsync(link);
        await AssertRefusedAsync(reopened, "already been used");
        using var reposted = await browser.SubmitAsync(form, new Dictionary<string, string>());
        await AssertRefusedAsync(reposted, "already been used");
    }

    /// <summary>
    /// Asks (by <paramref name="ask"/>) for a link for an address with an account and one without: the same status and page
    /// (ASVS 6.3.8); the address without an account is told so, with no usable link (the request path wrote one request row
    /// either way, and the worker answered it), and the one with an account gets a token.
    /// </summary>
    public static async Task AssertSameAnswerAsync(EmailFixture server, string prefix, Func<Browser, string, Task<HttpResponseMessage>> ask, string subject)
    {
        var (username, known, _) = await server.NewUserAsync(prefix);
        var unknown = "nobody-" + username + "@example.com";
        using var browser = server.NewBrowser();

        using var forKnown = await ask(browser, known);
        using var forUnknown = await ask(browser, unknown);

        Assert.Equal(HttpStatusCode.OK, forKnown.StatusCode);
        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(WithoutNonce(await forKnown.Content.ReadAsStringAsync()), WithoutNonce(await forUnknown.Content.ReadAsStringAsync()));
        var notice = await server.Smtp.MessageToAsync(unknown, subject);
        Assert.Contains("no account here uses it", notice.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("token=", (await server.Smtp.MessageToAsync(known, subject)).TextBody, StringComparison.Ordinal);
    }

    /// <summary>
    /// Redeems the code of CF's authorization response <paramref name="response"/> (a redirect to the client) and returns the
    /// ID token's <c>amr</c> (its values in order, space-separated) and <c>acr</c>.
    /// </summary>
    public static async Task<(string Amr, string Acr)> AmrAndAcrAsync(HttpClient client, HttpResponseMessage response, PkcePair pkce)
    {
        using var redeemed = await SignIn.CodeGrantSupport.RedeemAsync(client, SignInClients.CF, Browser.ResponseParameters(response)["code"], pkce.Verifier,
            SignInClients.CFRedirect);
        var payload = Jose.Payload(SignIn.GrantTokens.From(await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true)).IdToken!);
        return (string.Join(' ', payload["amr"]!.AsArray().Select(v => v!.GetValue<string>())), payload["acr"]!.GetValue<string>());
    }

    /// <summary>The page without what differs per response (the CSP nonce).</summary>
    public static string WithoutNonce(string html) => Nonce().Replace(html, "nonce=\"\"");

    [GeneratedRegex("nonce=\"[^\"]*\"")]
    private static partial Regex Nonce();
}

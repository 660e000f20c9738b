using System.Net;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Account;

/// <summary>Reading and posting the account page's forms (it has several, so each is posted by its action and fields).</summary>
internal static partial class AccountPageTesting
{
    public const string AccountPath = "/account";

    /// <summary>GET /account, asserting the 200 page with the page headers; returns the HTML.</summary>
    public static async Task<string> AccountPageAsync(Browser browser)
    {
        using var response = await browser.GetAsync(AccountPath);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected the account page, got {(int)response.StatusCode} (Location: {response.Headers.Location}): {html}");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'nonce-", policy, StringComparison.Ordinal);
        return html;
    }

    /// <summary>The anti-forgery token the page's forms carry.</summary>
    public static string CsrfToken(string html) => WebUtility.HtmlDecode(Csrf().Match(html) is { Success: true } match
        ? match.Groups[1].Value
        : throw new Xunit.Sdk.XunitException("The page has no anti-forgery token: " + html));

    /// <summary>Posts <paramref name="fields"/> to <paramref name="path"/> with the page's anti-forgery token (unless the fields set one).</summary>
    public static Task<HttpResponseMessage> PostAsync(Browser browser, string html, string path, params (string Name, string Value)[] fields)
    {
        var form = new Dictionary<string, string> { ["csrf_token"] = CsrfToken(html) };
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        return browser.Http.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>A 303 back to the account page with <paramref name="status"/>; follows it and returns the page.</summary>
    public static async Task<string> AssertDoneAsync(Browser browser, HttpResponseMessage response, string status)
    {
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"Expected 303, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(AccountPath + "?status=" + status, response.Headers.Location?.OriginalString);
        using var page = await browser.GetAsync(response.Headers.Location!.OriginalString);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("role=\"status\"", html, StringComparison.Ordinal);
        return html;
    }

    [GeneratedRegex("name=\"csrf_token\" value=\"([^\"]*)\"")]
    private static partial Regex Csrf();
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;
using static AuthService.Integration.Tests.Email.EmailPageTesting;

namespace AuthService.Integration.Tests.Email;

/// <summary>The e-mail fixture with self-registration on.</summary>
public sealed class SelfRegistrationFixture : EmailFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>(base.Overrides)
    {
        ["Auth:SelfRegistration:Enabled"] = "true",
    };
}

/// <summary>
/// Self-registration at <c>/account/register</c> over a real SMTP server: a new account starts unverified and gets a
/// verification link; an address that already has an account gets the same page and its owner a notice (ASVS 6.3.8).
/// </summary>
public sealed class SelfRegistrationTests(SelfRegistrationFixture server) : IClassFixture<SelfRegistrationFixture>
{
    private const string RegisterPath = "/account/register";
    private const string Password = "a-chosen-password-0123";

    [Fact]
    public async Task A_new_account_starts_unverified_and_its_link_verifies_the_address()
    {
        using var signIn = await server.NewBrowser().GetAsync("/account/signin");
        Assert.Contains("href=\"" + RegisterPath + "\"", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var username = UserAdmin.NewUsername("reg");
        var email = username + "@example.com";
        using var browser = server.NewBrowser();
        using var registered = await RegisterAsync(browser, username, email, Password);
        await AssertCheckYourEmailAsync(registered);

        var user = await FindUserAsync(email);
        Assert.Equal(username, user.GetProperty("username").GetString());
        Assert.False(user.GetProperty("email_verified").GetBoolean());
        var link = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(email, "Confirm your e-mail address"));
        using var confirmed = await browser.SubmitAsync(await OpenLinkAsync(browser, link), new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.True((await FindUserAsync(email)).GetProperty("email_verified").GetBoolean());

        var (signedIn, _) = await UserAdmin.SignInAsync(server, username, Password);
        signedIn.Dispose();
    }

    [Fact]
    public async Task A_known_address_gets_the_same_page_no_new_account_and_its_owner_a_notice()
    {
        var (ownerName, email, ownerId) = await server.NewUserAsync("owner");
        var username = UserAdmin.NewUsername("again");
        using var browser = server.NewBrowser();
        using var registered = await RegisterAsync(browser, username, email, Password);
        await AssertCheckYourEmailAsync(registered);

        var notice = await server.Smtp.MessageToAsync(email, "Someone tried to register with your address");
        Assert.Contains(ownerName, notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("/account/forgot-password", notice.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", notice.TextBody, StringComparison.Ordinal);
        Assert.Equal(ownerId, (await FindUserAsync(email)).Id());
        using var admin = await server.AdminAsync();
        using var search = await admin.GetAsync("/admin/users?q=" + username);
        var page = await search.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(page.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_refused_form_is_shown_again_and_creates_nothing()
    {
        var username = UserAdmin.NewUsername("bad");
        var email = username + "@example.com";
        using var browser = server.NewBrowser();

        using var mismatch = await RegisterAsync(browser, username, email, Password, confirm: Password + "x");
        var html = await mismatch.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("not the same", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, html, StringComparison.Ordinal);

        var (taken, _, _) = await server.NewUserAsync("taken");
        using var takenName = await RegisterAsync(browser, taken, email, Password);
        Assert.Equal(HttpStatusCode.BadRequest, takenName.StatusCode);
        Assert.Contains("username is taken", await takenName.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var admin = await server.AdminAsync();
        using var search = await admin.GetAsync("/admin/users?q=" + email);
        Assert.Empty((await search.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_post_without_the_anti_forgery_token_is_refused()
    {
        using var browser = server.NewBrowser();
        using var response = await browser.Http.PostAsync(RegisterPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = UserAdmin.NewUsername("csrf"), ["email"] = "csrf@example.com", ["password"] = Password, ["confirm_password"] = Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    internal static async Task<HttpResponseMessage> RegisterAsync(Browser browser, string username, string email, string password, string? confirm = null)
    {
        using var page = await browser.GetAsync(RegisterPath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await browser.SubmitAsync(await page.Content.ReadAsStringAsync(), new Dictionary<string, string>
        {
            ["username"] = username, ["email"] = email, ["name"] = "New Person", ["password"] = password, ["confirm_password"] = confirm ?? password,
        });
    }

    private static async Task AssertCheckYourEmailAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("Check your e-mail", html, StringComparison.Ordinal);
    }

    private async Task<JsonElement> FindUserAsync(string email)
    {
        using var admin = await server.AdminAsync();
        using var response = await admin.GetAsync("/admin/users?q=" + Uri.EscapeDataString(email));
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        return page.GetProperty("items").EnumerateArray().Single(u => u.GetProperty("email").GetString() == email).Clone();
    }
}

/// <summary>Self-registration is off by default: no page, no link.</summary>
public sealed class SelfRegistrationOffTests(EmailFixture server) : IClassFixture<EmailFixture>
{
    [Fact]
    public async Task The_page_is_not_found_and_the_sign_in_page_does_not_link_to_it()
    {
        using var browser = server.NewBrowser();
        using var get = await browser.GetAsync("/account/register");
        using var post = await browser.Http.PostAsync("/account/register", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "x" }));
        using var signIn = await browser.GetAsync("/account/signin");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.DoesNotContain("/account/register", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

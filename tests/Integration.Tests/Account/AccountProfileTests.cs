using System.Net;
using AuthService.Integration.Tests.SignIn;
using static AuthService.Integration.Tests.Account.AccountAppsTests;
using static AuthService.Integration.Tests.Account.AccountPageTesting;

namespace AuthService.Integration.Tests.Account;

/// <summary>
/// The account page's profile: name and e-mail change (the username is fixed); a changed e-mail address is no longer
/// verified; refused input re-renders the form with a message and changes nothing.
/// </summary>
public sealed class AccountProfileTests(AuthorizeFixture server) : IClassFixture<AuthorizeFixture>
{
    private const string ProfilePath = "/account/profile";

    [Fact]
    public async Task A_new_name_is_saved_and_shown()
    {
        using var browser = server.NewBrowser();
        var page = await SignInToAccountAsync(browser, "m01");

        using var response = await PostAsync(browser, page, ProfilePath, ("name", "Ada <Lovelace>"), ("email", AuthorizeSeed.Email("m01")));
        var after = await AssertDoneAsync(browser, response, "profile-saved");

        Assert.Contains("value=\"Ada &lt;Lovelace&gt;\"", after, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"username\">m01</dd>", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_e_mail_address_is_saved_unverified()
    {
        using var browser = server.NewBrowser();
        var page = await SignInToAccountAsync(browser, "m02");

        using var response = await PostAsync(browser, page, ProfilePath, ("name", "Member m02"), ("email", "new-m02@example.com"));
        var after = await AssertDoneAsync(browser, response, "profile-saved-unverified");

        Assert.Contains("value=\"new-m02@example.com\"", after, StringComparison.Ordinal);
        Assert.Contains("Your e-mail address is not verified.", after, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-an-address", "Enter a valid e-mail address")]
    [InlineData("m04@example.com", "cannot be used")] // another account's address
    public async Task A_refused_e_mail_address_re_renders_the_form_and_saves_nothing(string email, string message)
    {
        using var browser = server.NewBrowser();
        var page = await SignInToAccountAsync(browser, "m03");

        using var response = await PostAsync(browser, page, ProfilePath, ("name", "Changed"), ("email", email));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"email\">", html, StringComparison.Ordinal);
        var unchanged = await AccountPageAsync(browser);
        Assert.Contains("value=\"" + AuthorizeSeed.Email("m03") + "\"", unchanged, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"Changed\"", unchanged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_too_long_is_refused()
    {
        using var browser = server.NewBrowser();
        var page = await SignInToAccountAsync(browser, "m05");

        using var response = await PostAsync(browser, page, ProfilePath, ("name", new string('n', 201)), ("email", AuthorizeSeed.Email("m05")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 200 characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact] // RFC 6749 §10.12
    public async Task A_profile_post_without_the_anti_forgery_token_changes_nothing()
    {
        using var browser = server.NewBrowser();
        await SignInToAccountAsync(browser, "m06");

        using var response = await browser.Http.PostAsync(ProfilePath, new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "Forged" }));

        await AuthorizeTesting.AssertErrorPageAsync(response, "invalid_request");
        Assert.DoesNotContain("Forged", await AccountPageAsync(browser), StringComparison.Ordinal);
    }
}

using System.Net;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SecondFactors;
using AuthService.Integration.Tests.SignIn;
using Microsoft.AspNetCore.Mvc.Testing;
using OtpNet;
using static AuthService.Integration.Tests.Email.EmailPageTesting;

namespace AuthService.Integration.Tests.Email;

/// <summary>
/// Sign-in links by e-mail (docs/adr/0033, "Magic links"), over a real SMTP server: the link arrives, signs in once with
/// amr <c>email</c> and verifies the address, and the answer never tells whether an address has an account (ASVS 6.3.8).
/// </summary>
public sealed class MagicLinkTests(EmailFixture server) : IClassFixture<EmailFixture>
{
    [Fact]
    public async Task The_link_arrives_signs_in_once_with_amr_email_and_verifies_the_address()
    {
        var (_, email, _) = await server.NewUserAsync("magic");
        using var browser = server.NewBrowser();
        using var signIn = await browser.GetAsync("/account/signin");
        Assert.Contains("<a href=\"/account/signin/email-link\">E-mail me a sign-in link</a>", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var asked = await AskForMagicLinkAsync(browser, email);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("If an account uses this address, a message with a sign-in link is on its way", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var link = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(email, "Your sign-in link"));
        var uri = new Uri(link);
        Assert.Equal("/account/signin/email", uri.AbsolutePath);
        Assert.StartsWith("?token=", uri.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("&", uri.Query, StringComparison.Ordinal);

        // A GET (a mail scanner's) signs nobody in and does not use the link up.
        await OpenLinkAsync(browser, link);
        var form = await OpenLinkAsync(browser, link);
        using var used = await browser.SubmitAsync(form, new Dictionary<string, string>());
        Assert.True(used.StatusCode == HttpStatusCode.SeeOther, $"{(int)used.StatusCode}: {await used.Content.ReadAsStringAsync()}");
        Assert.Equal("/account?status=signed-in-link-verified", used.Headers.Location?.OriginalString);
        using var account = await browser.FollowAsync(used);
        var page = await account.Content.ReadAsStringAsync();
        Assert.Contains("it is now verified", page, StringComparison.Ordinal);
        Assert.Contains("Your e-mail address is verified.", page, StringComparison.Ordinal);

        // The session's amr says an e-mailed link, one factor: the pwd level of acr.
        var pkce = PkcePair.New();
        using var authorized = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, "openid", pkce));
        Assert.True(Browser.IsRedirect(authorized), $"{(int)authorized.StatusCode}: {await authorized.Content.ReadAsStringAsync()}");
        Assert.Equal(("email", "urn:authservice:acr:pwd"), await AmrAndAcrAsync(server.Client, authorized, pkce));

        // Used: the GET and the POST both refuse it.
        await AssertUsedUpAsync(browser, link, form);
    }

    [Fact]
    public async Task The_answer_is_the_same_whether_or_not_the_address_has_an_account()
    {
        await AssertSameAnswerAsync(server, "menum", AskForMagicLinkAsync, "Your sign-in link");
    }

    [Fact]
    public async Task A_reset_link_does_not_sign_in_and_an_unknown_token_is_a_clear_400()
    {
        var (_, email, _) = await server.NewUserAsync("mpurpose");
        using var browser = server.NewBrowser();
        var reset = new Uri(await server.ResetLinkAsync(browser, email));

        using var asSignIn = await browser.GetAsync("/account/signin/email" + reset.Query);
        await AssertRefusedAsync(asSignIn, "not valid");
        using var unknown = await browser.GetAsync("/account/signin/email?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        await AssertRefusedAsync(unknown, "not valid");
    }

    /// <summary>Asks for a sign-in link for <paramref name="email"/> on its page; returns the answer.</summary>
    internal static async Task<HttpResponseMessage> AskForMagicLinkAsync(Browser browser, string email)
    {
        using var page = await browser.GetAsync("/account/signin/email-link");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await browser.SubmitAsync(await page.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["email"] = email });
    }
}

/// <summary>Sign-in links on servers of their own: a clock the test moves (expiry, TOTP), and the operator's switch off.</summary>
public sealed class MagicLinkServerTests
{
    [Fact]
    public async Task An_expired_link_is_refused()
    {
        await using var smtp = new SmtpSink();
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, Overrides(smtp), seedJson: AuthorizeSeed.Json());
        using var browser = CodeGrantSupport.NewBrowser(server.Factory);

        var link = await LinkAsync(browser, smtp, AuthorizeSeed.Email("m01"));
        var form = await OpenLinkAsync(browser, link);
        server.Clock.Advance(TimeSpan.FromMinutes(10));

        using var reopened = await browser.GetAsync(link);
        await AssertRefusedAsync(reopened, "expired");
        using var expired = await browser.SubmitAsync(form, new Dictionary<string, string>());
        await AssertRefusedAsync(expired, "expired");
    }

    [Fact]
    public async Task With_a_second_factor_the_link_leads_to_the_second_step_and_the_session_says_email_otp_mfa()
    {
        await using var smtp = new SmtpSink();
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, Overrides(smtp), seedJson: AuthorizeSeed.Json());
        string CodeOf(string secret) =>
            new Totp(Base32Encoding.ToBytes(secret.Replace(" ", "", StringComparison.Ordinal))).ComputeTotp(server.Clock.GetUtcNow().UtcDateTime);
        using (var enrolling = CodeGrantSupport.NewBrowser(server.Factory))
        {
            var secret = await SecondFactorTesting.EnrolAsync(enrolling, "m02", CodeOf, () => server.Clock.Advance(TimeSpan.FromSeconds(30)));
            using var browser = CodeGrantSupport.NewBrowser(server.Factory);
            var form = await OpenLinkAsync(browser, await LinkAsync(browser, smtp, AuthorizeSeed.Email("m02")));

            using var used = await browser.SubmitAsync(form, new Dictionary<string, string>());
            var step = await SecondFactorTesting.AssertSecondFactorPageAsync(used);
            using var signedIn = await SecondFactorTesting.SubmitCodeAsync(browser, step, CodeOf(secret));

            Assert.True(signedIn.StatusCode == HttpStatusCode.SeeOther, $"{(int)signedIn.StatusCode}: {await signedIn.Content.ReadAsStringAsync()}");
            Assert.Equal("/account?status=signed-in", signedIn.Headers.Location?.OriginalString);

            // RFC 8176 §2: the link and the code, not a password nobody typed.
            var pkce = PkcePair.New();
            using var authorized = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, "openid", pkce));
            Assert.Equal(("email otp mfa", "urn:authservice:acr:mfa"), await AmrAndAcrAsync(server.Client, authorized, pkce));
        }
    }

    [Fact]
    public async Task Switched_off_the_form_is_absent_and_the_endpoints_answer_404()
    {
        await using var smtp = new SmtpSink();
        await using var database = await TestDatabase.CreateAsync();
        var overrides = new Dictionary<string, string?>(Overrides(smtp)) { ["Auth:Email:MagicLinks"] = "false" };
        await using var server = await ClockedServer.StartAsync(database, overrides, seedJson: AuthorizeSeed.Json());
        using var browser = CodeGrantSupport.NewBrowser(server.Factory);

        using var signIn = await browser.GetAsync("/account/signin");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.DoesNotContain("sign-in link", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var path in new[] { "/account/signin/email-link", "/account/signin/email?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })
        {
            using var get = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
            using var post = await server.Client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = AuthorizeSeed.Email("m03") }));
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        }
    }

    internal static Dictionary<string, string?> Overrides(SmtpSink smtp) => new()
    {
        ["Auth:Email:Smtp:Host"] = "127.0.0.1",
        ["Auth:Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Auth:Email:Smtp:UseTls"] = "false",
        ["Auth:Email:PollInterval"] = "00:00:00.200",
    };

    internal static async Task<string> LinkAsync(Browser browser, SmtpSink smtp, string email)
    {
        using var asked = await MagicLinkTests.AskForMagicLinkAsync(browser, email);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        return SmtpSink.LinkOf(await smtp.MessageToAsync(email, "Your sign-in link"));
    }
}

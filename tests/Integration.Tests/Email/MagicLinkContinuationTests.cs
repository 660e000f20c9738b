using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SecondFactors;
using AuthService.Integration.Tests.SignIn;
using OtpNet;
using static AuthService.Integration.Tests.Email.EmailPageTesting;

namespace AuthService.Integration.Tests.Email;

/// <summary>
/// Sign-in links asked for on the authorization flow's sign-in page and on the device page (docs/adr/0033, "Magic links"),
/// over a real SMTP server: the link carries only the token, the flow it continues is stored with it; opening it signs in
/// and goes on with that flow in the browser that opened it, never in the one that asked.
/// </summary>
public sealed partial class MagicLinkContinuationTests(EmailFixture server) : IClassFixture<EmailFixture>
{
    [Fact]
    public async Task A_link_asked_on_the_authorization_page_signs_in_where_it_is_opened_and_the_client_gets_a_code_with_amr_email()
    {
        var (_, email, _) = await server.NewUserAsync("mauth");
        var pkce = PkcePair.New();
        using var asking = server.NewBrowser();
        using var asked = await AskOnAuthorizationPageAsync(asking, email, pkce);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("a message with a sign-in link is on its way", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var message = await server.Smtp.MessageToAsync(email, "Your sign-in link");
        Assert.Contains("continue to the application you were signing in to", message.TextBody, StringComparison.Ordinal);
        var link = SmtpSink.LinkOf(message);
        var uri = new Uri(link);
        Assert.Equal("/account/signin/email", uri.AbsolutePath);
        Assert.Matches("^\\?token=[A-Za-z0-9_-]{43}$", uri.Query);

        // Opened in another browser (the person's phone, say): the authorization goes on there, to the client with a code.
        using var opening = server.NewBrowser();
        var form = await OpenLinkAsync(opening, link);
        using var used = await opening.SubmitAsync(form, new Dictionary<string, string>());
        Assert.True(used.StatusCode == HttpStatusCode.SeeOther, $"{(int)used.StatusCode}: {await used.Content.ReadAsStringAsync()}");
        Assert.Contains("/connect/authorize?", used.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        using var answered = await opening.FollowAsync(used);
        Assert.StartsWith(SignInClients.CFRedirect, answered.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        var parameters = Browser.ResponseParameters(answered);
        Assert.Equal("st-1", parameters["state"]);
        Assert.Equal(("email", "urn:authservice:acr:pwd"), await AmrAndAcrAsync(server.Client, answered, pkce));

        // The browser that asked got nothing: it is still at the sign-in page.
        using var stillAsking = await asking.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, "openid", pkce));
        await AuthorizeTesting.AssertLoginPageAsync(stillAsking);

        // Used once: the GET and the POST both refuse it.
        await AssertUsedUpAsync(opening, link, form);
    }

    [Fact]
    public async Task On_the_authorization_page_the_answer_is_the_same_whether_or_not_the_address_has_an_account()
    {
        await AssertSameAnswerAsync(server, "mauthenum", (browser, email) => AskOnAuthorizationPageAsync(browser, email, PkcePair.New()), "Your sign-in link");
    }

    [Fact]
    public async Task A_link_form_with_an_altered_request_sends_nothing_and_shows_the_error_page()
    {
        var (_, email, id) = await server.NewUserAsync("maltered");
        using var browser = server.NewBrowser();
        var form = await LinkFormAsync(browser, await SignInPageAsync(browser, PkcePair.New()));

        using var altered = await browser.SubmitAsync(form, new Dictionary<string, string>
        {
            ["email"] = email,
            ["request"] = "client_id=CF&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&response_type=code&scope=openid",
        });

        Assert.Equal(HttpStatusCode.BadRequest, altered.StatusCode);
        Assert.Contains("Something went wrong", await altered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(altered.Headers.Location);
        Assert.Empty(await server.EmailsAsync(id));
    }

    [Fact]
    public async Task A_link_asked_on_the_device_page_leads_to_its_approval_and_the_device_gets_tokens_with_amr_email()
    {
        var (_, email, _) = await server.NewUserAsync("mdevice");
        var device = await StartDeviceAsync();
        using var asking = server.NewBrowser();
        using var signIn = await asking.GetAsync(device.GetProperty("verification_uri_complete").GetString()!);
        var form = await LinkFormAsync(asking, await signIn.Content.ReadAsStringAsync());
        Assert.Equal(device.GetProperty("user_code").GetString(), Browser.HiddenFields(form)["user_code"]);
        using var asked = await asking.SubmitAsync(form, new Dictionary<string, string> { ["email"] = email });
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var message = await server.Smtp.MessageToAsync(email, "Your sign-in link");
        Assert.Contains("and connect a device", message.TextBody, StringComparison.Ordinal);

        using var opening = server.NewBrowser();
        using var used = await opening.SubmitAsync(await OpenLinkAsync(opening, SmtpSink.LinkOf(message)), new Dictionary<string, string>());
        Assert.True(used.StatusCode == HttpStatusCode.SeeOther, $"{(int)used.StatusCode}: {await used.Content.ReadAsStringAsync()}");
        using var consent = await opening.FollowAsync(used);
        var consentPage = await consent.Content.ReadAsStringAsync();
        Assert.True(consent.StatusCode == HttpStatusCode.OK, consentPage);
        Assert.Contains("Connect a device?", consentPage, StringComparison.Ordinal);
        Assert.Contains(device.GetProperty("user_code").GetString()!, consentPage, StringComparison.Ordinal);
        using var decided = await opening.ConsentAsync(consentPage, allow: true);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);

        using var polled = await PollAsync(device);
        var payload = Jose.Payload(GrantTokens.From(await OAuthAssert.TokenSuccessAsync(polled, codeFlow: true)).IdToken!);
        Assert.Equal(["email"], payload["amr"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task A_wrong_user_code_on_the_device_link_form_gets_the_code_form_and_no_link()
    {
        var (_, email, id) = await server.NewUserAsync("mdevwrong");
        using var browser = server.NewBrowser();
        using var page = await browser.GetAsync("/device/login/email-link?user_code=BCDF-GHJK");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        using var asked = await browser.SubmitAsync(await page.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["email"] = email });

        Assert.Equal(HttpStatusCode.BadRequest, asked.StatusCode);
        Assert.Contains("That code is not valid", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await server.EmailsAsync(id));
    }

    /// <summary>The sign-in page of CF's authorization request (200), as HTML.</summary>
    internal static async Task<string> SignInPageAsync(Browser browser, PkcePair pkce)
    {
        using var start = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, "openid", pkce));
        return await AuthorizeTesting.AssertLoginPageAsync(start);
    }

    /// <summary>Follows a sign-in page's "E-mail me a sign-in link" to its form (200), as HTML.</summary>
    internal static async Task<string> LinkFormAsync(Browser browser, string signInPage)
    {
        var match = MagicLinkAnchor().Match(signInPage);
        Assert.True(match.Success, signInPage);
        using var page = await browser.GetAsync(WebUtility.HtmlDecode(match.Groups[1].Value));
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        return html;
    }

    /// <summary>Asks for a sign-in link for <paramref name="email"/> on the sign-in page of CF's authorization request; returns the answer.</summary>
    internal static async Task<HttpResponseMessage> AskOnAuthorizationPageAsync(Browser browser, string email, PkcePair pkce) =>
        await browser.SubmitAsync(await LinkFormAsync(browser, await SignInPageAsync(browser, pkce)), new Dictionary<string, string> { ["email"] = email });

    private async Task<JsonElement> StartDeviceAsync()
    {
        using var response = await server.Client.PostAsync("/connect/deviceauthorization",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = EmailFixture.Device, ["scope"] = "openid" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private Task<HttpResponseMessage> PollAsync(JsonElement device) =>
        CodeFlowTokens.PostAsync(server.Client, EmailFixture.Device, null, new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["device_code"] = device.GetProperty("device_code").GetString()!,
        });

    [GeneratedRegex("<a href=\"([^\"]*)\">E-mail me a sign-in link</a>")]
    private static partial Regex MagicLinkAnchor();
}

/// <summary>Sign-in links and the second step on a server whose clock the test moves (TOTP), and with sign-in links off.</summary>
public sealed class MagicLinkContinuationServerTests
{
    [Fact]
    public async Task A_link_and_a_code_say_email_otp_mfa_and_the_second_step_continues_the_authorization()
    {
        await using var smtp = new SmtpSink();
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, MagicLinkServerTests.Overrides(smtp), seedJson: AuthorizeSeed.Json());
        string CodeOf(string secret) =>
            new Totp(Base32Encoding.ToBytes(secret.Replace(" ", "", StringComparison.Ordinal))).ComputeTotp(server.Clock.GetUtcNow().UtcDateTime);
        using var enrolling = CodeGrantSupport.NewBrowser(server.Factory);
        var secret = await SecondFactorTesting.EnrolAsync(enrolling, "m04", CodeOf, () => server.Clock.Advance(TimeSpan.FromSeconds(30)));

        var pkce = PkcePair.New();
        using var browser = CodeGrantSupport.NewBrowser(server.Factory);
        using var asked = await MagicLinkContinuationTests.AskOnAuthorizationPageAsync(browser, AuthorizeSeed.Email("m04"), pkce);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var link = SmtpSink.LinkOf(await smtp.MessageToAsync(AuthorizeSeed.Email("m04"), "Your sign-in link"));
        using var used = await browser.SubmitAsync(await OpenLinkAsync(browser, link), new Dictionary<string, string>());

        // The authorization flow's second step, carrying the request: the code finishes the sign-in and the client gets its code.
        var step = await SecondFactorTesting.AssertSecondFactorPageAsync(used);
        Assert.Contains("to continue to", step, StringComparison.Ordinal);
        Assert.Contains("request", Browser.HiddenFields(step).Keys);
        using var finished = await browser.FollowAsync(await SecondFactorTesting.SubmitCodeAsync(browser, step, CodeOf(secret)));
        Assert.StartsWith(SignInClients.CFRedirect, finished.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        Assert.Equal(("email otp mfa", "urn:authservice:acr:mfa"), await AmrAndAcrAsync(server.Client, finished, pkce));
    }

    [Fact]
    public async Task Switched_off_the_authorization_and_device_pages_have_no_link_and_its_forms_answer_404()
    {
        await using var smtp = new SmtpSink();
        await using var database = await TestDatabase.CreateAsync();
        var overrides = new Dictionary<string, string?>(MagicLinkServerTests.Overrides(smtp)) { ["Auth:Email:MagicLinks"] = "false" };
        await using var server = await ClockedServer.StartAsync(database, overrides, seedJson: AuthorizeSeed.Json());
        using var browser = CodeGrantSupport.NewBrowser(server.Factory);

        Assert.DoesNotContain("sign-in link", await MagicLinkContinuationTests.SignInPageAsync(browser, PkcePair.New()), StringComparison.Ordinal);
        using var device = await browser.GetAsync("/device?user_code=BCDF-GHJK");
        Assert.DoesNotContain("sign-in link", await device.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var path in new[] { "/account/login/email-link", "/device/login/email-link" })
        {
            using var get = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
            using var post = await server.Client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = AuthorizeSeed.Email("m05") }));
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        }
    }
}

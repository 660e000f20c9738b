using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Account;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.PushedAuthorization;
using AuthService.Integration.Tests.SignIn;
using static AuthService.Integration.Tests.SecondFactors.SecondFactorTesting;

namespace AuthService.Integration.Tests.SecondFactors;

/// <summary>
/// The client's second-factor policy and the <c>claims</c> parameter's acr through the real pipeline on PostgreSQL
/// (docs/adr/0032 "Client policy and the claims parameter"): <c>require_mfa</c> (a server extension) and OIDC Dynamic
/// Client Registration 1.0 §2 <c>default_acr_values</c> on the code flow and the device page, from the seed file and the
/// admin API; OIDC Core §5.5.1.1 Essential and Voluntary acr in the query and in a pushed request (RFC 9126); malformed
/// <c>claims</c> as <c>invalid_request</c>; OpenID Connect Core Unmet Authentication Requirements 1.0 §2.
/// </summary>
public sealed class ClientMfaPolicyTests(SecondFactorFixture server) : IClassFixture<SecondFactorFixture>
{
    private const string Scope = "openid api.read";
    private const string Mfa = "urn:authservice:acr:mfa";
    private const string Pwd = "urn:authservice:acr:pwd";

    /// <summary>A <c>claims</c> parameter asking for <paramref name="acr"/> (the member's JSON) in the ID token.</summary>
    private static string AcrClaims(string acr) => "{\"id_token\":{\"acr\":" + acr + "},\"userinfo\":{\"email\":null}}";

    private static Dictionary<string, string> Extra(string name, string value) => new() { [name] = value };

    private static string AcrOf(GrantTokens tokens) => Jose.Payload(tokens.IdToken!)["acr"]!.GetValue<string>();

    /// <summary>Submits the second-factor form and follows back through the authorization endpoint: the response to the client.</summary>
    private async Task<HttpResponseMessage> FinishStepUpAsync(Browser browser, HttpResponseMessage stepUp, string secret)
    {
        var second = await AssertSecondFactorPageAsync(stepUp);
        Assert.DoesNotContain("name=\"password\"", second, StringComparison.Ordinal);
        return await browser.FollowAsync(await SubmitCodeAsync(browser, second, server.CodeOf(secret)));
    }

    private async Task<GrantTokens> RedeemAsync(HttpResponseMessage response, string clientId, string secret, string redirectUri, PkcePair pkce)
    {
        var code = AuthorizeTesting.AssertCode(response, redirectUri);
        using var redeemed = await CodeFlowTokens.RedeemAsync(server.Client, clientId, secret, code, pkce.Verifier, redirectUri);
        return GrantTokens.From(await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true));
    }

    [Fact]
    public async Task A_require_mfa_client_asks_a_password_session_for_the_code_only_and_its_id_token_says_mfa()
    {
        using var browser = server.NewBrowser();
        var secret = await EnrolAsync(server, browser, "m01"); // the session itself proved the password only
        var pkce = PkcePair.New();

        using var start = await browser.GetAsync(Browser.AuthorizeUrl(SecondFactorFixture.MF, SecondFactorFixture.MFRedirect, Scope, pkce));
        using var finished = await FinishStepUpAsync(browser, start, secret);

        var tokens = await RedeemAsync(finished, SecondFactorFixture.MF, SecondFactorFixture.PolicyClientSecret, SecondFactorFixture.MFRedirect, pkce);
        Assert.Equal(Mfa, AcrOf(tokens));
    }

    [Fact] // OpenID Connect Core Unmet Authentication Requirements 1.0 §2: the client's policy cannot be met by this person.
    public async Task A_require_mfa_client_gives_a_person_without_a_second_factor_unmet_authentication_requirements_with_or_without_a_session()
    {
        using var signedIn = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(signedIn, "m02");
        using var withSession = await signedIn.GetAsync(Browser.AuthorizeUrl(SecondFactorFixture.MF, SecondFactorFixture.MFRedirect, Scope, PkcePair.New()));
        AuthorizeTesting.AssertRedirectError(withSession, SecondFactorFixture.MFRedirect, "unmet_authentication_requirements");

        // A new sign-in: the password form, then the same answer (the account has no second factor to ask for).
        using var fresh = server.NewBrowser();
        using var login = await fresh.GetAsync(Browser.AuthorizeUrl(SecondFactorFixture.MF, SecondFactorFixture.MFRedirect, Scope, PkcePair.New()));
        using var password = await fresh.SignInAsync(await AuthorizeTesting.AssertLoginPageAsync(login), "m03", AuthorizeSeed.Password);
        using var answer = await fresh.FollowAsync(password);
        AuthorizeTesting.AssertRedirectError(answer, SecondFactorFixture.MFRedirect, "unmet_authentication_requirements");
    }

    [Fact] // OIDC Dynamic Client Registration 1.0 §2: default_acr_values apply when the request names no acr_values.
    public async Task Default_acr_values_naming_mfa_hold_requests_without_acr_values_and_a_request_naming_the_password_level_is_met_by_it()
    {
        using var browser = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(browser, "m04");

        using var byDefault = await browser.GetAsync(Browser.AuthorizeUrl(SecondFactorFixture.MD, SecondFactorFixture.MDRedirect, Scope, PkcePair.New()));
        AuthorizeTesting.AssertRedirectError(byDefault, SecondFactorFixture.MDRedirect, "unmet_authentication_requirements");

        var pkce = PkcePair.New();
        using var asked = await browser.GetAsync(Browser.AuthorizeUrl(SecondFactorFixture.MD, SecondFactorFixture.MDRedirect, Scope, pkce,
            extra: Extra("acr_values", Pwd)));
        var tokens = await RedeemAsync(asked, SecondFactorFixture.MD, SecondFactorFixture.PolicyClientSecret, SecondFactorFixture.MDRedirect, pkce);
        Assert.Equal(Pwd, AcrOf(tokens));
    }

    [Fact] // OIDC Core §5.5.1.1: an Essential acr naming the mfa level steps a password session up, and the ID token carries acr.
    public async Task An_essential_mfa_acr_in_the_claims_parameter_steps_a_password_session_up()
    {
        using var browser = server.NewBrowser();
        var secret = await EnrolAsync(server, browser, "m05");
        var pkce = PkcePair.New();

        using var start = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, Scope, pkce,
            extra: Extra("claims", AcrClaims($$"""{"essential":true,"values":["urn:example:gold","{{Mfa}}"]}"""))));
        using var finished = await FinishStepUpAsync(browser, start, secret);

        var tokens = await RedeemAsync(finished, SignInClients.CF, SignInClients.CFSecret, SignInClients.CFRedirect, pkce);
        Assert.Equal(Mfa, AcrOf(tokens));
    }

    [Fact] // OIDC Core §5.5.1.1: an Essential acr that cannot be met is a failed authentication, before anyone signs in.
    public async Task An_essential_acr_this_server_does_not_define_is_unmet_authentication_requirements()
    {
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, Scope, PkcePair.New(),
            extra: Extra("claims", AcrClaims("""{"essential":true,"value":"urn:example:gold"}"""))));

        AuthorizeTesting.AssertRedirectError(response, SignInClients.CFRedirect, "unmet_authentication_requirements");
    }

    [Theory] // OIDC Core §5.5.1.1: a Voluntary acr is a preference (values not defined here are ignored); an Essential one without values still makes acr required.
    [InlineData("""{"values":["urn:example:gold"]}""")]
    [InlineData("""{"essential":false,"value":"urn:example:gold"}""")]
    [InlineData("""{"essential":true}""")]
    [InlineData("null")]
    public async Task A_voluntary_or_valueless_acr_is_met_by_the_password_and_the_id_token_carries_the_acr_reached(string acr)
    {
        using var browser = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(browser, "m06");
        var pkce = PkcePair.New();

        using var response = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, Scope, pkce,
            extra: Extra("claims", AcrClaims(acr))));

        var tokens = await RedeemAsync(response, SignInClients.CF, SignInClients.CFSecret, SignInClients.CFRedirect, pkce);
        Assert.Equal(Pwd, AcrOf(tokens));
    }

    public static TheoryData<string> MalformedClaims => new()
    {
        "not json",
        "[]",
        "\"id_token\"",
        """{"id_token":[]}""",
        """{"id_token":{"acr":true}}""",
        """{"userinfo":{"email":{"essential":"yes"}}}""",
        """{"id_token":{"acr":{"essential":"true"}}}""",
        """{"id_token":{"acr":{"values":"urn:authservice:acr:mfa"}}}""",
        """{"id_token":{"acr":{"values":[]}}}""",
        """{"id_token":{"acr":{"values":[1]}}}""",
        """{"id_token":{"acr":{"value":["urn:authservice:acr:mfa"]}}}""",
        """{"id_token":{"acr":{"value":"urn:authservice:acr:mfa","values":["urn:authservice:acr:mfa"]}}}""",
        """{"id_token":{"acr":null},"id_token":{"acr":null}}""",
        """{"id_token":{"acr":{"essential":true}}""",
        "{\"id_token\":{\"name\":null},\"x\":\"" + new string('y', 4100) + "\"}",
    };

    [Theory] // OIDC Core §5.5; RFC 6749 §4.1.2.1: invalid_request, redirected once the client and redirect URI are known good.
    [MemberData(nameof(MalformedClaims))]
    public async Task A_malformed_claims_parameter_is_invalid_request(string claims)
    {
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, Scope, PkcePair.New(),
            extra: Extra("claims", claims)));

        AuthorizeTesting.AssertRedirectError(response, SignInClients.CFRedirect, "invalid_request");
    }

    [Fact] // RFC 9126 §2.1, §4: the claims parameter of a pushed request is validated at the push and honoured at the authorization endpoint.
    public async Task A_pushed_request_carries_its_essential_acr_and_a_malformed_one_is_refused_at_the_push()
    {
        using var browser = server.NewBrowser();
        var secret = await EnrolAsync(server, browser, "m07");
        var pkce = PkcePair.New();
        var form = PushedClients.Parameters(SignInClients.CF, SignInClients.CFRedirect, Scope, pkce);
        form["claims"] = AcrClaims($$"""{"essential":true,"values":["{{Mfa}}"]}""");
        var requestUri = await PushedClients.PushedRequestUriAsync(server.Client, form, SignInClients.CF, SignInClients.CFSecret);

        using var start = await browser.GetAsync(PushedClients.AuthorizeUrl(SignInClients.CF, requestUri));
        using var finished = await FinishStepUpAsync(browser, start, secret);
        var tokens = await RedeemAsync(finished, SignInClients.CF, SignInClients.CFSecret, SignInClients.CFRedirect, pkce);
        Assert.Equal(Mfa, AcrOf(tokens));

        var malformed = PushedClients.Parameters(SignInClients.CF, SignInClients.CFRedirect, Scope, PkcePair.New());
        malformed["claims"] = """{"id_token":{"acr":{"essential":1}}}""";
        using var refused = await PushedClients.PushAsync(server.Client, malformed, SignInClients.CF, SignInClients.CFSecret);
        await PushedClients.AssertErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_request");
    }

    private async Task<JsonElement> StartDeviceAsync()
    {
        using var started = await server.Client.PostAsync("/connect/deviceauthorization",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = SecondFactorFixture.DM, ["scope"] = Scope }));
        return (await started.ExpectAsync(HttpStatusCode.OK)).Clone();
    }

    private Task<HttpResponseMessage> PollAsync(JsonElement device) =>
        CodeFlowTokens.PostAsync(server.Client, SecondFactorFixture.DM, null, new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["device_code"] = device.GetProperty("device_code").GetString()!,
        });

    [Fact] // RFC 8628 §3.5: the person cannot meet the client's policy, so the device's poll gets access_denied.
    public async Task On_the_device_page_a_person_without_a_second_factor_gets_a_refusal_page_and_the_device_access_denied()
    {
        var device = await StartDeviceAsync();
        using var browser = server.NewBrowser();
        using var login = await browser.GetAsync(device.GetProperty("verification_uri_complete").GetString()!);
        using var signedIn = await browser.SignInAsync(await login.Content.ReadAsStringAsync(), "m08", AuthorizeSeed.Password);

        using var refusal = await browser.FollowAsync(signedIn);
        var html = await refusal.Content.ReadAsStringAsync();
        Assert.True(refusal.StatusCode == HttpStatusCode.Forbidden, $"{(int)refusal.StatusCode}: {html}");
        Assert.Contains("requires a second factor", html, StringComparison.Ordinal);
        Assert.False(AuthorizeTesting.IsConsentPage(html));

        using var polled = await PollAsync(device);
        await OAuthAssert.TokenErrorAsync(polled, HttpStatusCode.BadRequest, "access_denied");
    }

    [Fact]
    public async Task On_the_device_page_a_password_session_is_asked_for_the_code_only_and_the_device_gets_an_id_token_that_says_mfa()
    {
        using var browser = server.NewBrowser();
        var secret = await EnrolAsync(server, browser, "m09");
        var device = await StartDeviceAsync();

        using var stepUp = await browser.GetAsync(device.GetProperty("verification_uri_complete").GetString()!);
        var second = await AssertSecondFactorPageAsync(stepUp);
        Assert.DoesNotContain("name=\"password\"", second, StringComparison.Ordinal);
        using var raised = await SubmitCodeAsync(browser, second, server.CodeOf(secret));
        using var consent = await browser.FollowAsync(raised);
        using var decided = await browser.SubmitAsync(await AuthorizeTesting.AssertConsentPageAsync(consent), new Dictionary<string, string> { ["decision"] = "allow" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);

        using var polled = await PollAsync(device);
        var tokens = GrantTokens.From(await OAuthAssert.TokenSuccessAsync(polled, codeFlow: true));
        Assert.Equal(Mfa, AcrOf(tokens));
    }

    [Fact]
    public async Task The_seed_files_require_mfa_and_default_acr_values_are_what_the_admin_api_reads()
    {
        using var admin = await server.AdminAsync();

        var mf = await admin.GetClientAsync(SecondFactorFixture.MF);
        Assert.True(mf.GetProperty("require_mfa").GetBoolean());
        Assert.Empty(mf.GetProperty("default_acr_values").EnumerateArray());
        var md = await admin.GetClientAsync(SecondFactorFixture.MD);
        Assert.False(md.GetProperty("require_mfa").GetBoolean());
        Assert.Equal([Mfa], md.GetProperty("default_acr_values").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task The_admin_api_sets_and_clears_require_mfa_and_default_acr_values_and_refuses_an_acr_value_not_defined_here()
    {
        using var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("mfa");
        var body = ClientAdmin.Browser(clientId);
        body["require_mfa"] = true;
        var created = await (await admin.RegisterAsync(body)).ExpectAsync(HttpStatusCode.Created);
        Assert.True(created.GetProperty("require_mfa").GetBoolean());

        body["require_mfa"] = false;
        body["default_acr_values"] = new JsonArray(Mfa, Pwd);
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, $"/admin/clients/{clientId}", body.ToJsonString()))).ExpectAsync(HttpStatusCode.OK);
        var updated = await admin.GetClientAsync(clientId);
        Assert.False(updated.GetProperty("require_mfa").GetBoolean());
        Assert.Equal([Mfa, Pwd], updated.GetProperty("default_acr_values").EnumerateArray().Select(v => v.GetString()));

        body.Remove("default_acr_values");
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, $"/admin/clients/{clientId}", body.ToJsonString()))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty((await admin.GetClientAsync(clientId)).GetProperty("default_acr_values").EnumerateArray());

        body["default_acr_values"] = new JsonArray("urn:example:gold");
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, $"/admin/clients/{clientId}", body.ToJsonString())))
            .ProblemAsync(HttpStatusCode.BadRequest, "default_acr_values");
        Assert.Empty((await admin.GetClientAsync(clientId)).GetProperty("default_acr_values").EnumerateArray());
        Assert.Equal(2, (await admin.AuditAsync($"subject={clientId}&event_type=client.updated")).Count); // the refused update is not on record
    }

    [Fact] // docs/adr/0032: require_mfa holds at the token endpoint, so a grant made with one factor before the policy stops refreshing.
    public async Task A_one_factor_grant_stops_refreshing_when_its_client_turns_require_mfa_on_and_a_two_factor_grant_goes_on()
    {
        const string Redirect = "https://spa.example/cb";
        const string OfflineScope = "openid offline_access api.read";
        using var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("mfr");
        var body = ClientAdmin.Browser(clientId);
        body["scope"] = OfflineScope;
        body["require_consent"] = false;
        await (await admin.RegisterAsync(body)).ExpectAsync(HttpStatusCode.Created);

        using var passwordOnly = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await passwordOnly.CodeAsync(clientId, Redirect, OfflineScope, pkce, username: "m10", password: AuthorizeSeed.Password);
        var oneFactor = await RedeemAsync(code, pkce);
        Assert.Equal(Pwd, AcrOf(oneFactor));

        body["require_mfa"] = true;
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, $"/admin/clients/{clientId}", body.ToJsonString()))).ExpectAsync(HttpStatusCode.OK);
        using var refused = await CodeFlowTokens.RefreshAsync(server.Client, clientId, null, oneFactor.RefreshToken!);
        var error = await OAuthAssert.TokenErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Contains("two-factor", error.GetProperty("error_description").GetString(), StringComparison.Ordinal);

        using var enrolled = server.NewBrowser();
        var secret = await EnrolAsync(server, enrolled, "m10");
        server.NextStep();
        pkce = PkcePair.New();
        using var stepUp = await enrolled.GetAsync(Browser.AuthorizeUrl(clientId, Redirect, OfflineScope, pkce)); // the policy steps the password session up
        using var finished = await FinishStepUpAsync(enrolled, stepUp, secret);
        var twoFactors = await RedeemAsync(AuthorizeTesting.AssertCode(finished, Redirect), pkce);
        Assert.Equal(Mfa, AcrOf(twoFactors));
        using var refreshed = await CodeFlowTokens.RefreshAsync(server.Client, clientId, null, twoFactors.RefreshToken!);
        await OAuthAssert.TokenSuccessAsync(refreshed, codeFlow: true);

        async Task<GrantTokens> RedeemAsync(string code, PkcePair pkce)
        {
            using var redeemed = await CodeFlowTokens.RedeemAsync(server.Client, clientId, null, code, pkce.Verifier, Redirect);
            return GrantTokens.From(await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true));
        }

        body["require_mfa"] = false; // the one-factor family was kept: without the policy it refreshes again
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, $"/admin/clients/{clientId}", body.ToJsonString()))).ExpectAsync(HttpStatusCode.OK);
        using var again = await CodeFlowTokens.RefreshAsync(server.Client, clientId, null, oneFactor.RefreshToken!);
        await OAuthAssert.TokenSuccessAsync(again, codeFlow: true);
    }

    [Fact]
    public async Task Discovery_says_the_claims_parameter_is_supported()
    {
        using var response = await server.Client.GetAsync("/.well-known/openid-configuration");
        var document = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.True(document.GetProperty("claims_parameter_supported").GetBoolean());
    }
}

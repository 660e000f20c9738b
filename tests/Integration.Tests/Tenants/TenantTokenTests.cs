using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.PushedAuthorization;
using Microsoft.AspNetCore.WebUtilities;
using static AuthService.Integration.Tests.Tenants.TenantFixture;

namespace AuthService.Integration.Tests.Tenants;

/// <summary>
/// The tenant in tokens (docs/adr/0038): the <c>tenant</c> scope and parameter, the picker, the tenant's policy where it is
/// chosen, the claims in the access token, ID token and UserInfo, and the grant ending with the membership or the tenant.
/// </summary>
public sealed class TenantTokenTests(TenantFixture server) : IClassFixture<TenantFixture>
{
    private const string Scope = "openid tenant offline_access";

    private static string Url(PkcePair pkce, string scope = Scope, params (string Name, string Value)[] extra) =>
        Browser.AuthorizeUrl(TenantTokensClient, TenantTokensRedirect, scope, pkce, extra: extra.ToDictionary(e => e.Name, e => e.Value));

    /// <summary>A person in the given new tenants (as members); returns the person and the tenants' (id, slug).</summary>
    private async Task<(string UserId, string Username, (string Id, string Slug)[] Tenants)> PersonInAsync(int tenants, params string[] roles)
    {
        var (userId, username, _) = await server.VerifiedUserAsync("tt");
        var made = new (string Id, string Slug)[tenants];
        for (var i = 0; i < tenants; i++)
        {
            made[i] = await server.TenantAsync("tt");
            await server.AddMemberAsync(made[i].Id, userId, roles.Length == 0 ? ["member"] : roles);
        }

        return (userId, username, made);
    }

    private async Task<JsonElement> RedeemAsync(string code, PkcePair pkce)
    {
        using var redeemed = await CodeFlowTokens.RedeemAsync(server.Client, TenantTokensClient, TenantTokensSecret, code, pkce.Verifier, TenantTokensRedirect);
        return await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true);
    }

    private static string CodeOf(HttpResponseMessage response)
    {
        var parameters = Browser.ResponseParameters(response);
        Assert.True(parameters.ContainsKey("code"), string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value}")));
        Assert.Equal(TestClients.Issuer, parameters["iss"]);
        return parameters["code"];
    }

    private static void AssertAuthorizationError(HttpResponseMessage response, string error)
    {
        var parameters = Browser.ResponseParameters(response);
        Assert.StartsWith(TenantTokensRedirect, response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(error, parameters.GetValueOrDefault("error"));
        Assert.Equal(TestClients.Issuer, parameters["iss"]);
        Assert.Equal("st-1", parameters["state"]);
    }

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];

    private async Task<JsonElement> UserInfoAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task PutTenantAsync(string id, string slug, string status = "active", bool requireMfa = false, string[]? methods = null)
    {
        using var admin = await server.AdminAsync();
        using var response = await admin.SendAsync(HttpMethod.Put, $"/admin/tenants/{id}", new
        {
            slug,
            display_name = "Tenant " + slug,
            status,
            policy = new { require_mfa = requireMfa, allowed_sign_in_methods = methods ?? [], allowed_email_domains = Array.Empty<string>() },
        });
        await response.ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task One_membership_puts_the_tenant_in_the_access_token_the_id_token_and_userinfo_and_a_refresh_reads_the_current_roles()
    {
        var (userId, username, tenants) = await PersonInAsync(1, "admin", "member");
        var (tenantId, slug) = tenants[0];
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();

        using var response = await browser.AuthorizeAsync(Url(pkce), username, UserAdmin.Password);
        var tokens = await RedeemAsync(CodeOf(response), pkce);

        var access = Jose.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal((slug, tenantId), (access["tenant"]!.GetValue<string>(), access["tenant_id"]!.GetValue<string>()));
        Assert.Equal(["admin", "member"], Strings(access["tenant_roles"]));
        Assert.Null(access["tenants"]);
        var id = Jose.Payload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal((slug, tenantId), (id["tenant"]!.GetValue<string>(), id["tenant_id"]!.GetValue<string>()));
        Assert.Equal([slug], Strings(id["tenants"]));
        var info = await UserInfoAsync(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal((userId, slug, tenantId), (info.GetProperty("sub").GetString(), info.GetProperty("tenant").GetString(), info.GetProperty("tenant_id").GetString()));
        Assert.Equal(["admin", "member"], info.GetProperty("tenant_roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal([slug], info.GetProperty("tenants").EnumerateArray().Select(r => r.GetString()));

        // The roles change: UserInfo and the next refresh say the current ones, for the same tenant.
        using (var admin = await server.AdminAsync())
        using (var changed = await admin.SendAsync(HttpMethod.Put, $"/admin/tenants/{tenantId}/members/{userId}", new { roles = new[] { "member" } }))
        {
            await changed.ExpectAsync(HttpStatusCode.OK);
        }

        Assert.Equal(["member"], (await UserInfoAsync(tokens.GetProperty("access_token").GetString()!)).GetProperty("tenant_roles").EnumerateArray().Select(r => r.GetString()));
        using var refreshed = await CodeFlowTokens.RefreshAsync(server.Client, TenantTokensClient, TenantTokensSecret, tokens.GetProperty("refresh_token").GetString()!);
        var next = await OAuthAssert.TokenSuccessAsync(refreshed, codeFlow: true);
        var nextAccess = Jose.Payload(next.GetProperty("access_token").GetString()!);
        Assert.Equal(slug, nextAccess["tenant"]!.GetValue<string>());
        Assert.Equal(["member"], Strings(nextAccess["tenant_roles"]));
    }

    [Fact]
    public async Task Several_memberships_show_the_picker_which_refuses_a_forged_choice_and_a_missing_anti_forgery_token_and_carries_the_choice_on()
    {
        var (_, username, tenants) = await PersonInAsync(2);
        var (_, foreignSlug) = await server.TenantAsync("tt");
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();

        using var picker = await browser.AuthorizeAsync(Url(pkce), username, UserAdmin.Password);
        var html = await picker.Content.ReadAsStringAsync();
        Assert.True(picker.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("Choose an organisation", html, StringComparison.Ordinal);
        Assert.All(tenants, t => Assert.Contains(">Tenant " + t.Slug + "</button>", html, StringComparison.Ordinal));
        Assert.DoesNotContain(foreignSlug, html, StringComparison.Ordinal);
        OAuthAssert.SecurityHeaders(picker);

        using (var forged = await browser.SubmitAsync(html, new Dictionary<string, string> { ["tenant"] = foreignSlug }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Contains("not one you can continue with", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var withoutToken = Browser.HiddenFields(html);
        withoutToken.Remove("csrf_token");
        withoutToken["tenant"] = tenants[1].Slug;
        using (var csrf = await browser.Http.PostAsync("/account/choose-tenant", new FormUrlEncodedContent(withoutToken)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, csrf.StatusCode);
            Assert.Contains("did not come from this site", await csrf.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var chosen = await browser.FollowAsync(await browser.SubmitAsync(html, new Dictionary<string, string> { ["tenant"] = tenants[1].Slug }));
        var id = Jose.Payload((await RedeemAsync(CodeOf(chosen), pkce)).GetProperty("id_token").GetString()!);
        Assert.Equal((tenants[1].Slug, tenants[1].Id), (id["tenant"]!.GetValue<string>(), id["tenant_id"]!.GetValue<string>()));
        Assert.Equal(tenants.Select(t => t.Slug).Order(StringComparer.Ordinal), Strings(id["tenants"]));

        // OIDC Core §3.1.2.6: no page may be shown, and the choice is the person's.
        using var silent = await browser.GetAsync(Url(PkcePair.New(), Scope, ("prompt", "none")));
        AssertAuthorizationError(silent, "interaction_required");
    }

    [Fact]
    public async Task The_tenant_parameter_skips_the_picker_and_a_suspended_foreign_or_unknown_tenant_is_access_denied()
    {
        var (_, username, tenants) = await PersonInAsync(3);
        var (_, foreignSlug) = await server.TenantAsync("tt");
        await PutTenantAsync(tenants[2].Id, tenants[2].Slug, status: "suspended");
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();

        using var named = await browser.AuthorizeAsync(Url(pkce, Scope, ("tenant", tenants[0].Slug)), username, UserAdmin.Password);
        var access = Jose.Payload((await RedeemAsync(CodeOf(named), pkce)).GetProperty("access_token").GetString()!);
        Assert.Equal(tenants[0].Slug, access["tenant"]!.GetValue<string>());

        foreach (var refused in (string[])[tenants[2].Slug, foreignSlug, "no-such-tenant"])
        {
            using var denied = await browser.GetAsync(Url(PkcePair.New(), Scope, ("tenant", refused)));
            AssertAuthorizationError(denied, "access_denied");
        }

        using var withoutScope = await browser.GetAsync(Url(PkcePair.New(), "openid", ("tenant", tenants[0].Slug)));
        AssertAuthorizationError(withoutScope, "invalid_request");
    }

    [Fact]
    public async Task A_person_without_a_membership_gets_no_tenant_claims_but_asking_for_a_tenant_is_access_denied()
    {
        var (_, username, _) = await PersonInAsync(0);
        var (_, slug) = await server.TenantAsync("tt");
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();

        using var response = await browser.AuthorizeAsync(Url(pkce), username, UserAdmin.Password);
        var tokens = await RedeemAsync(CodeOf(response), pkce);
        var access = Jose.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Null(access["tenant"]);
        Assert.Empty(Strings(Jose.Payload(tokens.GetProperty("id_token").GetString()!)["tenants"]));

        using var denied = await browser.GetAsync(Url(PkcePair.New(), Scope, ("tenant", slug)));
        AssertAuthorizationError(denied, "access_denied");
    }

    [Fact]
    public async Task A_removed_membership_ends_the_refresh_token_family_and_userinfo_drops_the_tenant()
    {
        var (userId, username, tenants) = await PersonInAsync(1);
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        using var response = await browser.AuthorizeAsync(Url(pkce), username, UserAdmin.Password);
        var tokens = await RedeemAsync(CodeOf(response), pkce);

        using (var admin = await server.AdminAsync())
        using (var removed = await admin.SendAsync(HttpMethod.Delete, $"/admin/tenants/{tenants[0].Id}/members/{userId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        var info = await UserInfoAsync(tokens.GetProperty("access_token").GetString()!);
        Assert.False(info.TryGetProperty("tenant", out _));
        Assert.Empty(info.GetProperty("tenants").EnumerateArray());
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;
        using (var refused = await CodeFlowTokens.RefreshAsync(server.Client, TenantTokensClient, TenantTokensSecret, refreshToken))
        {
            await OAuthAssert.TokenErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_grant");
        }

        // The family is over: a membership given back does not revive it.
        await server.AddMemberAsync(tenants[0].Id, userId, "member");
        using var again = await CodeFlowTokens.RefreshAsync(server.Client, TenantTokensClient, TenantTokensSecret, refreshToken);
        await OAuthAssert.TokenErrorAsync(again, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_suspended_tenant_refuses_the_code_issued_before_and_ends_the_refresh()
    {
        var (_, username, tenants) = await PersonInAsync(1);
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        using var response = await browser.AuthorizeAsync(Url(pkce), username, UserAdmin.Password);
        var tokens = await RedeemAsync(CodeOf(response), pkce);
        var laterPkce = PkcePair.New();
        using var later = await browser.AuthorizeAsync(Url(laterPkce));
        var laterCode = CodeOf(later);

        await PutTenantAsync(tenants[0].Id, tenants[0].Slug, status: "suspended");

        using (var redeemed = await CodeFlowTokens.RedeemAsync(server.Client, TenantTokensClient, TenantTokensSecret, laterCode, laterPkce.Verifier, TenantTokensRedirect))
        {
            await OAuthAssert.TokenErrorAsync(redeemed, HttpStatusCode.BadRequest, "invalid_grant");
        }

        using var refused = await CodeFlowTokens.RefreshAsync(server.Client, TenantTokensClient, TenantTokensSecret, tokens.GetProperty("refresh_token").GetString()!);
        await OAuthAssert.TokenErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_require_mfa_tenant_holds_a_person_without_a_second_factor_to_unmet_authentication_requirements()
    {
        var (_, username, tenants) = await PersonInAsync(1);
        await PutTenantAsync(tenants[0].Id, tenants[0].Slug, requireMfa: true);
        using var browser = server.NewBrowser();

        using var response = await browser.AuthorizeAsync(Url(PkcePair.New()), username, UserAdmin.Password);

        AssertAuthorizationError(response, "unmet_authentication_requirements");
    }

    [Fact]
    public async Task A_passkey_only_tenant_sends_a_password_session_back_to_the_sign_in_page_and_prompt_none_is_login_required()
    {
        var (_, username, tenants) = await PersonInAsync(1);
        await PutTenantAsync(tenants[0].Id, tenants[0].Slug, methods: ["passkey"]);
        using var browser = server.NewBrowser();

        using var response = await browser.FollowAsync(await browser.SignInAsync(
            await (await browser.GetAsync(Url(PkcePair.New()))).Content.ReadAsStringAsync(), username, UserAdmin.Password));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("id=\"tenant-sign-in-notice\"", html, StringComparison.Ordinal);
        Assert.Contains("requires you to sign in with a passkey", html, StringComparison.Ordinal);

        using var silent = await browser.GetAsync(Url(PkcePair.New(), Scope, ("prompt", "none")));
        AssertAuthorizationError(silent, "login_required");
    }

    [Fact]
    public async Task A_pushed_request_carries_the_tenant_and_one_without_goes_through_the_picker()
    {
        var (_, username, tenants) = await PersonInAsync(2);
        using var browser = server.NewBrowser();

        var pkce = PkcePair.New();
        var form = PushedClients.Parameters(TenantTokensClient, TenantTokensRedirect, Scope, pkce);
        form["tenant"] = tenants[1].Slug;
        var requestUri = await PushedClients.PushedRequestUriAsync(server.Client, form, TenantTokensClient, TenantTokensSecret);
        using var named = await browser.AuthorizeAsync(PushedClients.AuthorizeUrl(TenantTokensClient, requestUri), username, UserAdmin.Password);
        Assert.Equal(tenants[1].Slug, Jose.Payload((await RedeemAsync(CodeOf(named), pkce)).GetProperty("access_token").GetString()!)["tenant"]!.GetValue<string>());

        // Without one, the picker adds the choice to the sealed request; the tenant a pushed request named cannot be swapped.
        var pickPkce = PkcePair.New();
        var unnamed = await PushedClients.PushedRequestUriAsync(server.Client,
            PushedClients.Parameters(TenantTokensClient, TenantTokensRedirect, Scope, pickPkce), TenantTokensClient, TenantTokensSecret);
        using var picker = await browser.GetAsync(PushedClients.AuthorizeUrl(TenantTokensClient, unnamed));
        var html = await picker.Content.ReadAsStringAsync();
        Assert.Contains("Choose an organisation", html, StringComparison.Ordinal);
        using var chosen = await browser.FollowAsync(await browser.SubmitAsync(html, new Dictionary<string, string> { ["tenant"] = tenants[0].Slug }));
        Assert.Equal(tenants[0].Slug, Jose.Payload((await RedeemAsync(CodeOf(chosen), pickPkce)).GetProperty("access_token").GetString()!)["tenant"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_signed_request_object_carries_the_tenant()
    {
        var (_, username, tenants) = await PersonInAsync(2);
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = TenantTokensClient,
            ["aud"] = TestClients.Issuer,
            ["iat"] = now,
            ["nbf"] = now - 5,
            ["exp"] = now + 300,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["tenant"] = tenants[1].Slug,
        };
        foreach (var (name, value) in PushedClients.Parameters(TenantTokensClient, TenantTokensRedirect, Scope, pkce))
        {
            claims[name] = value;
        }

        var header = new JsonObject { ["alg"] = "ES256", ["kid"] = PushedClients.PJKid, ["typ"] = "oauth-authz-req+jwt" };
        var requestObject = Jose.SignEs256(header, Jose.Encode(claims.ToJsonString()), PushedClients.PJKey);
        var url = QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?> { ["client_id"] = TenantTokensClient, ["request"] = requestObject });

        using var response = await browser.AuthorizeAsync(url, username, UserAdmin.Password);

        var id = Jose.Payload((await RedeemAsync(CodeOf(response), pkce)).GetProperty("id_token").GetString()!);
        Assert.Equal(tenants[1].Slug, id["tenant"]!.GetValue<string>());
    }
}

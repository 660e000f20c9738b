using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Email;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Tenants;

/// <summary>
/// The e-mail fixture (a real SMTP sink) plus a web client allowed the <c>tenant_admin</c> scope, whose code-flow tokens are
/// a person's tenant admin tokens (docs/adr/0038).
/// </summary>
public class TenantFixture : EmailFixture
{
    public const string TenantAdminClient = "TADM";
    public const string TenantAdminSecret = "tadm-secret-0123456789abcdef";
    public const string TenantAdminRedirect = "https://tadm.example/cb";

    /// <summary>A web client of the tenant in tokens (code and refresh, the <c>tenant</c> scope, request objects signed with the PJ key).</summary>
    public const string TenantTokensClient = "TTOK";
    public const string TenantTokensSecret = "ttok-secret-0123456789abcdef";
    public const string TenantTokensRedirect = "https://ttok.example/cb";

    protected override string SeedJson
    {
        get
        {
            var seed = JsonNode.Parse(base.SeedJson)!;
            // Refresh too, so that an ended family's tokens can be shown refused by the admin API's bearer check.
            var client = TestClients.Client(TenantAdminClient, TenantAdminSecret, "client_secret_basic", ["authorization_code", "refresh_token"],
                "openid tenant_admin offline_access", redirectUris: [TenantAdminRedirect]);
            client["require_consent"] = false;
            seed["clients"]!.AsArray().Add(client);
            var tenantTokens = TestClients.Client(TenantTokensClient, TenantTokensSecret, "client_secret_basic", ["authorization_code", "refresh_token"],
                "openid profile tenant offline_access", redirectUris: [TenantTokensRedirect]);
            tenantTokens["require_consent"] = false;
            tenantTokens["jwks"] = new JsonObject { ["keys"] = new JsonArray(PushedAuthorization.PushedClients.PJPublicJwk()) };
            seed["clients"]!.AsArray().Add(tenantTokens);
            return seed.ToJsonString();
        }
    }

    /// <summary>A new user with the password <see cref="UserAdmin.Password"/> and a verified address; returns its id and address.</summary>
    public async Task<(string Id, string Username, string Email)> VerifiedUserAsync(string prefix)
    {
        using var admin = await AdminAsync();
        var username = UserAdmin.NewUsername(prefix);
        var email = username + "@acme.example";
        using var response = await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Post, "/admin/users",
            new { username, email, email_verified = true, password = UserAdmin.Password }));
        return ((await response.ExpectAsync(HttpStatusCode.Created)).Id(), username, email);
    }

    /// <summary>
    /// Signs <paramref name="username"/> in through the code flow of <see cref="TenantAdminClient"/> with <c>tenant_admin</c>, and
    /// returns the browser (signed in: its session cookie serves the account pages) and an HTTP client sending the access token.
    /// </summary>
    public async Task<(Browser Browser, HttpClient Api)> TenantAdminAsync(string username)
    {
        var browser = NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(TenantAdminClient, TenantAdminRedirect, "openid tenant_admin", pkce, username: username, password: UserAdmin.Password);
        using var redeemed = await CodeFlowTokens.RedeemAsync(Client, TenantAdminClient, TenantAdminSecret, code, pkce.Verifier, TenantAdminRedirect);
        var body = await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true);
        Assert.Contains("tenant_admin", body.GetProperty("scope").GetString()!.Split(' '));
        var api = Factory.CreateClient(new() { AllowAutoRedirect = false });
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        return (browser, api);
    }

    /// <summary>A new tenant created by the platform administrator; returns its id and slug.</summary>
    public async Task<(string Id, string Slug)> TenantAsync(string prefix = "t")
    {
        using var admin = await AdminAsync();
        var slug = $"{prefix}-{Guid.NewGuid():N}"[..24];
        using var response = await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Post, "/admin/tenants", new { slug, display_name = "Tenant " + slug }));
        return ((await response.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!, slug);
    }

    /// <summary>Adds <paramref name="userId"/> to the tenant with <paramref name="roles"/> as the platform administrator.</summary>
    public async Task AddMemberAsync(string tenantId, string userId, params string[] roles)
    {
        using var admin = await AdminAsync();
        using var response = await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Post, $"/admin/tenants/{tenantId}/members", new { user_id = userId, roles }));
        await response.ExpectAsync(HttpStatusCode.Created);
    }

    /// <summary>The platform's view of a tenant: its body and ETag.</summary>
    public static async Task<(JsonElement Tenant, string ETag)> ReadAsync(HttpClient admin, string tenantId)
    {
        using var response = await admin.GetAsync($"/admin/tenants/{tenantId}");
        return (await response.ExpectAsync(HttpStatusCode.OK), response.Headers.ETag!.Tag);
    }

    /// <summary>Replaces the tenant's status and e-mail domains as the platform administrator (the display name stays the one of <see cref="TenantAsync"/>).</summary>
    public async Task UpdateAsync(string tenantId, string slug, string status = "active", params string[] allowedEmailDomains)
    {
        using var admin = await AdminAsync();
        using var response = await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, $"/admin/tenants/{tenantId}",
            new { slug, display_name = "Tenant " + slug, status, policy = new { allowed_email_domains = allowedEmailDomains } }));
        await response.ExpectAsync(HttpStatusCode.OK);
    }

    /// <summary>Invites <paramref name="email"/> as the platform administrator and returns the link the SMTP server received.</summary>
    public async Task<string> InviteAsync(string tenantId, string slug, string email, params string[] roles)
    {
        using var admin = await AdminAsync();
        using var invited = await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations", new { email, roles }));
        await invited.ExpectAsync(HttpStatusCode.Created);
        return SmtpSink.LinkOf(await Smtp.MessageToAsync(email, "You are invited to join Tenant " + slug));
    }
}

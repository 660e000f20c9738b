using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// The browser-flow server with client BR also allowed the <c>tenant</c> scope, and the admin client ADM, through whose API
/// the test puts alice in tenants (docs/adr/0038).
/// </summary>
public sealed class TenantBrowserServer : BrowserFlowServer
{
    protected override void ExtendSeed(JsonObject seed)
    {
        var clients = seed["clients"]!.AsArray();
        clients[0]!["scope"] = "openid profile email offline_access tenant";
        clients.Add(TestClients.Client(AdminClients.Admin, AdminClients.AdminSecret, "client_secret_basic", ["client_credentials"], "admin"));
    }

    /// <summary>Creates a tenant with <paramref name="displayName"/> and adds <paramref name="username"/> to it as a member; returns its slug.</summary>
    public async Task<string> TenantWithMemberAsync(string displayName, string username)
    {
        using var admin = await AdminAsync();
        var slug = $"br-{Guid.NewGuid():N}"[..20];
        using var created = await admin.PostAsJsonAsync("/admin/tenants", new { slug, display_name = displayName });
        var tenantId = (await created.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        using var users = await admin.GetAsync("/admin/users?q=" + Uri.EscapeDataString(username));
        var userId = (await users.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Single(u => u.GetProperty("username").GetString() == username).GetProperty("id").GetString();
        using var added = await admin.PostAsJsonAsync($"/admin/tenants/{tenantId}/members", new { user_id = userId, roles = new[] { "member" } });
        await added.ExpectAsync(HttpStatusCode.Created);
        return slug;
    }

    private async Task<HttpClient> AdminAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "admin" }),
        };
        request.Headers.Authorization = Protocol.Basic(AdminClients.Admin, AdminClients.AdminSecret);
        using var token = await Http.SendAsync(request);
        var body = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement;
        Assert.True(token.IsSuccessStatusCode, body.ToString());
        var admin = new HttpClient { BaseAddress = new Uri(Issuer), Timeout = TimeSpan.FromSeconds(15) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        return admin;
    }
}

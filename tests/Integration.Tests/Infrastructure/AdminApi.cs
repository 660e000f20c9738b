using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>The admin clients of the admin API tests, added to the sign-in fixtures' seed.</summary>
public static class AdminClients
{
    /// <summary>The bootstrap admin client: client credentials, scope <c>admin</c>.</summary>
    public const string Admin = "ADM";
    public const string AdminSecret = "adm-secret-0123456789abcdef";

    /// <summary>A client whose tokens are meant for this server (no audience) but without the admin scope.</summary>
    public const string NotAdmin = "NADM";
    public const string NotAdminSecret = "nadm-secret-0123456789abcdef";

    /// <summary>Allowed the admin scope, but its tokens are for another audience (a resource server), not this server.</summary>
    public const string AdminElsewhere = "ADMX";
    public const string AdminElsewhereSecret = "admx-secret-0123456789abcdef";

    /// <summary>A web client allowed the admin scope: its tokens are a user's (sub = the user), never an admin's.</summary>
    public const string AdminWeb = "ADMW";
    public const string AdminWebSecret = "admw-secret-0123456789abcdef";
    public const string AdminWebRedirect = "https://admw.example/cb";

    public static JsonObject SeedDocument()
    {
        var seed = SignInClients.SeedDocument();
        var clients = seed["clients"]!.AsArray();
        clients.Add(TestClients.Client(Admin, AdminSecret, "client_secret_basic", ["client_credentials"], "admin"));
        clients.Add(TestClients.Client(NotAdmin, NotAdminSecret, "client_secret_basic", ["client_credentials"], "api.read"));
        clients.Add(TestClients.Client(AdminElsewhere, AdminElsewhereSecret, "client_secret_basic", ["client_credentials"], "admin", audience: "https://api.example/admin"));
        var web = TestClients.Client(AdminWeb, AdminWebSecret, "client_secret_basic", ["authorization_code"], "openid admin", redirectUris: [AdminWebRedirect]);
        web["require_consent"] = false;
        clients.Add(web);
        return seed;
    }
}

/// <summary>A server with the sign-in fixtures plus the admin clients; <see cref="AdminAsync"/> gives an HTTP client with an admin token.</summary>
public class AdminFixture : SignInFixture
{
    protected override string SeedJson => AdminClients.SeedDocument().ToJsonString();

    /// <summary>A fresh admin token (client credentials, scope admin) of <paramref name="clientId"/>.</summary>
    public async Task<string> AdminTokenAsync(string clientId = AdminClients.Admin, string secret = AdminClients.AdminSecret, string scope = "admin") =>
        (await OAuthAssert.TokenSuccessAsync(await Client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", scope)), Protocol.Basic(clientId, secret))))
        .GetProperty("access_token").GetString()!;

    /// <summary>An HTTP client of this server that sends a fresh admin token.</summary>
    public async Task<HttpClient> AdminAsync()
    {
        var http = Factory.CreateClient(new() { AllowAutoRedirect = false });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AdminTokenAsync());
        return http;
    }
}

/// <summary>Requests and checks of the admin API.</summary>
public static class Admin
{
    public static StringContent Json(object body) =>
        new(body is string text ? text : JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>A request with a JSON body and, when given, an <c>If-Match</c> header.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    /// <summary>Asserts the status and returns the JSON body (or default for an empty body).</summary>
    public static async Task<JsonElement> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>An RFC 9457 problem of <paramref name="status"/>; for 400, also that <c>errors</c> names <paramref name="field"/>.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var body = await response.ExpectAsync(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        if (field is not null)
        {
            var errors = body.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"Expected an error for '{field}': {body}");
        }

        return body;
    }

    /// <summary>The single audit entry of <paramref name="eventType"/> about the subject, written by the admin client ADM.</summary>
    public static async Task<JsonElement> AssertAuditedAsync(this HttpClient admin, string subjectType, string subjectId, string eventType)
    {
        var entries = await admin.AuditAsync($"subject={Uri.EscapeDataString(subjectId)}&event_type={eventType}");
        var entry = Assert.Single(entries);
        Assert.Equal(subjectType, entry.GetProperty("subject_type").GetString());
        Assert.Equal("admin_client", entry.GetProperty("actor_type").GetString());
        Assert.Equal(AdminClients.Admin, entry.GetProperty("actor_id").GetString());
        return entry;
    }

    /// <summary>The audit entries matching the query string (e.g. <c>subject=...&amp;event_type=...</c>), newest first.</summary>
    public static async Task<IReadOnlyList<JsonElement>> AuditAsync(this HttpClient admin, string query)
    {
        var body = await (await admin.GetAsync("/admin/audit-events?" + query)).ExpectAsync(HttpStatusCode.OK);
        return [.. body.GetProperty("items").EnumerateArray()];
    }
}

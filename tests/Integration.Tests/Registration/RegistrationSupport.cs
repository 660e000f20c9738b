using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Registration;

/// <summary>A server with open registration (admin and sign-in clients seeded), a generous rate limit and the MCP scope allowed.</summary>
public class OpenRegistrationFixture : AdminFixture
{
    public const string AllowedScopes = "openid profile email offline_access mcp:tools";

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Auth:Registration:Policy"] = "open",
        ["Auth:Registration:AllowedScopes"] = AllowedScopes,
        ["Auth:Registration:PermitsPerMinutePerAddress"] = "10000",
    };
}

/// <summary>Requests of RFC 7591 §3 and RFC 7592 §2.</summary>
public static class Registrations
{
    public const string Path = "/connect/register";

    /// <summary>What the MCP TypeScript SDK sends, plus members this server does not know.</summary>
    public static JsonObject McpClient(int port = 33418) => new()
    {
        ["client_name"] = "MCP Inspector",
        ["redirect_uris"] = new JsonArray($"http://127.0.0.1:{port}/callback"),
        ["grant_types"] = new JsonArray("authorization_code", "refresh_token"),
        ["response_types"] = new JsonArray("code"),
        ["token_endpoint_auth_method"] = "none",
        ["scope"] = "mcp:tools",
    };

    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient http, JsonNode body, string? bearer = null) =>
        http.SendAsync(Request(HttpMethod.Post, Path, body, bearer));

    public static async Task<JsonElement> RegisteredAsync(this HttpClient http, JsonNode body, string? bearer = null)
    {
        using var response = await http.RegisterAsync(body, bearer);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {text}");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, JsonNode? body, string? bearer)
    {
        var request = new HttpRequestMessage(method, path)
        {
            Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }

    /// <summary>The path of <c>registration_client_uri</c> (the issuer is https://issuer.test; the test server answers any host).</summary>
    public static string ConfigurationPath(JsonElement registered) => new Uri(registered.GetProperty("registration_client_uri").GetString()!).AbsolutePath;

    public static string Token(JsonElement registered) => registered.GetProperty("registration_access_token").GetString()!;

    /// <summary>An RFC 7591 §3.2.2 error: 400, the code, and the description naming <paramref name="member"/> when given.</summary>
    public static async Task RegistrationErrorAsync(HttpResponseMessage response, string error, string? member = null)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {text}");
            var body = JsonDocument.Parse(text).RootElement;
            Assert.Equal(error, body.GetProperty("error").GetString());
            if (member is not null)
            {
                Assert.Contains(member, body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
            }
        }
    }

    /// <summary>
    /// RFC 7592 §2 / RFC 6750 §3.1: 401 with a Bearer challenge, naming invalid_token when a token was sent, and nothing else.
    /// </summary>
    public static async Task InvalidTokenAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var challenge = response.Headers.WwwAuthenticate.ToString();
            Assert.StartsWith("Bearer", challenge, StringComparison.Ordinal);
            if (response.RequestMessage?.Headers.Authorization is not null)
            {
                Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain("error=", challenge, StringComparison.Ordinal);
            }

            Assert.Empty(await response.Content.ReadAsStringAsync());
        }
    }
}

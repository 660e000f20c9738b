using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>Introspection (RFC 7662) and revocation (RFC 7009) requests, and the checks on their answers.</summary>
public static class BackChannel
{
    public const string IntrospectionPath = "/connect/introspect";
    public const string RevocationPath = "/connect/revoke";

    /// <summary>RFC 7662 §2.2: the whole body of an inactive answer.</summary>
    public const string Inactive = """{"active":false}""";

    public static AuthenticationHeaderValue C1Basic => Protocol.Basic(TestClients.C1, TestClients.C1Secret);

    public static AuthenticationHeaderValue C2Basic => Protocol.Basic(TestClients.C2, TestClients.C2Secret);

    public static Task<HttpResponseMessage> IntrospectAsync(this HttpClient client, string token, AuthenticationHeaderValue? authorization) =>
        client.PostTokenAsync(Protocol.Form(("token", token)), authorization, IntrospectionPath);

    public static Task<HttpResponseMessage> RevokeAsync(this HttpClient client, string token, AuthenticationHeaderValue? authorization) =>
        client.PostTokenAsync(Protocol.Form(("token", token)), authorization, RevocationPath);

    /// <summary>A fresh access token for C1 (client_credentials over Basic).</summary>
    public static async Task<string> C1TokenAsync(this HttpClient client, string? scope = null) =>
        (await OAuthAssert.TokenSuccessAsync(await client.PostC1Async(scope))).GetProperty("access_token").GetString()!;

    /// <summary>A fresh access token for a client_secret_basic client with client_credentials.</summary>
    public static async Task<string> TokenForAsync(this HttpClient client, string clientId, string secret) =>
        (await OAuthAssert.TokenSuccessAsync(await client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(clientId, secret)))).GetProperty("access_token").GetString()!;

    /// <summary>200, JSON, <c>Cache-Control: no-store</c>, <c>active: true</c>. Returns the body.</summary>
    public static async Task<JsonElement> ActiveAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-store", response.Header("Cache-Control"));
        var body = JsonDocument.Parse(text).RootElement;
        Assert.True(body.GetProperty("active").GetBoolean(), $"Expected an active token: {text}");
        return body.Clone();
    }

    /// <summary>RFC 7662 §2.2: 200, <c>Cache-Control: no-store</c>, and exactly <c>{"active":false}</c>, nothing more.</summary>
    public static async Task InactiveAsync(HttpResponseMessage response, string? because = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{because}: expected 200, got {(int)response.StatusCode}: {text}");
        Assert.True(Inactive == text, $"{because}: expected exactly {Inactive}, got {text}");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-store", response.Header("Cache-Control"));
    }

    /// <summary>RFC 7009 §2.2: 200 with an empty body, not cacheable.</summary>
    public static async Task RevokedAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes)}");
        Assert.Empty(bytes);
        Assert.Equal("no-store", response.Header("Cache-Control"));
    }

    /// <summary>
    /// ASVS 16.5.3, GHSA-7mqr-2v3q-v2wm: 503 <c>temporarily_unavailable</c> with <c>Retry-After</c> and no-store, without
    /// leaking the store's details, and never an introspection answer.
    /// </summary>
    public static async Task UnavailableAsync(HttpResponseMessage response, string databaseName)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"Expected 503, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);

        // The exception handler adds no-cache to the no-store of the protocol answer.
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Header("Cache-Control")}");
        Assert.Equal("5", response.Header("Retry-After"));
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("temporarily_unavailable", body.GetProperty("error").GetString());
        Assert.False(body.TryGetProperty("active", out _), $"A failed request answers like introspection: {text}");
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", text, StringComparison.Ordinal);
        Assert.DoesNotContain(databaseName, text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text.Json;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>The catalogue's outcome checks, asserted on the exact wire values.</summary>
public static class OAuthAssert
{
    /// <summary>
    /// TOKEN-ERROR(x) (§0): the status (400, or 401 for invalid_client over Basic),
    /// JSON, <c>Cache-Control: no-store</c>, <c>"error": x</c>, and no token field. Returns the body.
    /// </summary>
    public static async Task<JsonElement> TokenErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {error}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Header("Cache-Control"));
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        Assert.Equal(error, body.GetProperty("error").GetString());
        foreach (var field in Protocol.TokenFields)
        {
            Assert.False(body.TryGetProperty(field, out _), $"An error response carries the token field {field}: {text}");
        }

        if (status == HttpStatusCode.Unauthorized)
        {
            // RFC 6749 §5.2: a 401 names the scheme the client used.
            var challenge = response.Headers.WwwAuthenticate.ToString();
            Assert.StartsWith("Basic", challenge, StringComparison.Ordinal);
        }

        // RFC 6749 §5.2 descriptions are fixed text; a stack trace or exception name must never leak.
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return body.Clone();
    }

    /// <summary>
    /// A successful token response (RFC 6749 §5.1, OAuth 2.1 §3.2.3). Returns the body. A refresh token
    /// is refused unless <paramref name="codeFlow"/> (client_credentials never issues one).
    /// </summary>
    public static async Task<JsonElement> TokenSuccessAsync(HttpResponseMessage response, bool codeFlow = false, string tokenType = "Bearer")
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-store", response.Header("Cache-Control"));
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(tokenType, body.GetProperty("token_type").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("access_token").GetString()));
        Assert.True(codeFlow || !body.TryGetProperty("refresh_token", out _), "client_credentials must not issue a refresh token (RFC 6749 §4.4.3)");
        Assert.False(body.TryGetProperty("error", out _));
        return body.Clone();
    }

    /// <summary>The scope string of a response as a set (RFC 6749 §3.3: order carries no meaning).</summary>
    public static string[] ScopeSet(JsonElement body) =>
        [.. body.GetProperty("scope").GetString()!.Split(' ').Order(StringComparer.Ordinal)];

    /// <summary>ASVS 3.4.4, ASVS 13.4.2, RFC 9700 §4.16: the headers every response carries, and no server banner.</summary>
    public static void SecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Assert.Equal("DENY", response.Header("X-Frame-Options"));
        Assert.Contains("frame-ancestors 'none'", response.Header("Content-Security-Policy") ?? "", StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Header("Referrer-Policy"));
        Assert.Null(response.Header("Server"));
        Assert.Null(response.Header("X-Powered-By"));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>Builds token requests the way a client would, including deliberately wrong ones.</summary>
public static class Protocol
{
    public const string TokenPath = "/connect/token";
    public const string FormContentType = "application/x-www-form-urlencoded";

    /// <summary>The fields that make a response a token response; none may appear in an error.</summary>
    public static readonly string[] TokenFields = ["access_token", "token_type", "expires_in", "refresh_token", "id_token", "scope"];

    /// <summary>
    /// RFC 6749 §2.3.1: the client id and secret are each application/x-www-form-urlencoded, then joined
    /// with ':' and base64-encoded. (Space becomes '+', so '+' itself must become %2B.)
    /// </summary>
    public static AuthenticationHeaderValue Basic(string clientId, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(WebUtility.UrlEncode(clientId) + ":" + WebUtility.UrlEncode(secret))));

    /// <summary>A Basic header whose decoded value is exactly <paramref name="raw"/> (no form-encoding).</summary>
    public static AuthenticationHeaderValue RawBasic(byte[] raw) => new("Basic", Convert.ToBase64String(raw));

    /// <summary>Form-encodes name/value pairs in order; the same name may repeat.</summary>
    public static string Form(params (string Name, string Value)[] parameters) =>
        string.Join('&', parameters.Select(p => WebUtility.UrlEncode(p.Name) + "=" + WebUtility.UrlEncode(p.Value)));

    public static HttpRequestMessage TokenRequest(string body, AuthenticationHeaderValue? authorization = null, string path = TokenPath)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, FormContentType),
        };
        request.Headers.Authorization = authorization;
        return request;
    }

    public static async Task<HttpResponseMessage> PostTokenAsync(this HttpClient client, string body, AuthenticationHeaderValue? authorization = null, string path = TokenPath)
    {
        using var request = TokenRequest(body, authorization, path);
        return await client.SendAsync(request);
    }

    /// <summary>client_credentials for C1 over Basic, optionally with a scope.</summary>
    public static Task<HttpResponseMessage> PostC1Async(this HttpClient client, string? scope = null)
    {
        var body = scope is null
            ? Form(("grant_type", "client_credentials"))
            : Form(("grant_type", "client_credentials"), ("scope", scope));
        return client.PostTokenAsync(body, Basic(TestClients.C1, TestClients.C1Secret));
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"Expected a JSON body, got {(int)response.StatusCode}: {text} ({ex.Message})");
        }
    }

    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}

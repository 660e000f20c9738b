using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthService.ResourceServer.Authority;
using Microsoft.Extensions.Logging;

namespace AuthService.ResourceServer.Introspection;

/// <summary>
/// Asks the authority whether a token is still active (RFC 7662 §2.1), authenticating as this API with
/// <c>client_secret_basic</c> (RFC 6749 §2.3.1: id and secret form-encoded, then Basic). Answers are reused for
/// <see cref="IntrospectionOptions.CacheDuration"/>, keyed by a SHA-256 hash of the token so the cache never holds
/// a token; never past the token's own expiry.
/// </summary>
internal sealed partial class TokenIntrospection(
    AuthorityDocuments authority, IHttpClientFactory httpClients, TimeProvider clock, ILogger<TokenIntrospection> logger)
{
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (bool Active, DateTimeOffset Until)> _answers = new(StringComparer.Ordinal);

    /// <summary>True when active, false when inactive, null when the authority could not give an answer.</summary>
    public async Task<bool?> IsActiveAsync(string token, DateTimeOffset tokenExpiresAt, AuthServiceTokenOptions options, CancellationToken cancellationToken)
    {
        var introspection = options.Introspection;
        var key = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
        var now = clock.GetUtcNow();
        if (_answers.TryGetValue(key, out var cached) && now < cached.Until)
        {
            return cached.Active;
        }

        if (await authority.GetAsync(options, cancellationToken) is not { IntrospectionEndpoint: { } endpoint })
        {
            LogNoEndpoint(logger);
            return null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent([new("token", token), new("token_type_hint", "access_token")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
            FormEncode(introspection.ClientId!) + ":" + FormEncode(introspection.ClientSecret!))));
        using var answer = await BackchannelHttp.SendForJsonAsync(
            httpClients.CreateClient(AuthServiceTokenDefaults.HttpClientName), request, options.BackchannelTimeout, cancellationToken);
        if (answer is null || !answer.RootElement.TryGetProperty("active", out var activeValue)
            || activeValue.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            LogFailed(logger, endpoint);
            return null;
        }

        var active = activeValue.GetBoolean();
        if (introspection.CacheDuration > TimeSpan.Zero)
        {
            Remember(key, active, Min(now + introspection.CacheDuration, tokenExpiresAt), now);
        }

        return active;
    }

    private void Remember(string key, bool active, DateTimeOffset until, DateTimeOffset now)
    {
        if (_answers.Count >= MaxEntries)
        {
            foreach (var entry in _answers.Where(e => e.Value.Until <= now))
            {
                _answers.TryRemove(entry);
            }

            // Still full of live answers (a flood of distinct valid tokens): start over rather than grow.
            if (_answers.Count >= MaxEntries)
            {
                _answers.Clear();
            }
        }

        _answers[key] = (active, until);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>RFC 6749 §2.3.1 / Appendix B: <c>application/x-www-form-urlencoded</c> encoding of the id and the secret before Basic.</summary>
    private static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Introspection is required here, but the authority's metadata names no introspection_endpoint (or could not be read).")]
    private static partial void LogNoEndpoint(ILogger logger);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "The introspection endpoint {Endpoint} gave no usable answer (unreachable, not 200, or not RFC 7662 JSON).")]
    private static partial void LogFailed(ILogger logger, Uri endpoint);
}

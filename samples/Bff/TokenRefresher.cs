using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Bff;

/// <summary>
/// Renews a session's access token with its refresh token (RFC 6749 §6) when it is about to expire, as each request's session is
/// validated. AuthService rotates refresh tokens and treats a second use of one as theft (revoking the whole family, RFC 9700
/// §4.14.2), so concurrent requests of one session must not both redeem it: they share one redemption, keyed by the refresh
/// token's hash and remembered for a minute.
/// </summary>
public sealed partial class TokenRefresher(HttpClient http, IOptionsMonitor<OpenIdConnectOptions> oidc, IOptions<BffOptions> options,
    IMemoryCache redemptions, TimeProvider time, ILogger<TokenRefresher> logger)
{
    private static readonly Lock RedemptionsGate = new();

    public async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var properties = context.Properties;
        if (!DateTimeOffset.TryParse(properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var expiresAt)
            || time.GetUtcNow() < expiresAt - options.Value.RefreshBefore)
        {
            return;
        }

        var refreshToken = properties.GetTokenValue("refresh_token");
        var renewed = refreshToken is null ? null : await RedeemOnceAsync(refreshToken, context.HttpContext.RequestAborted);
        if (renewed is null)
        {
            // No refresh token, or the server refused it (expired, revoked, the user signed out elsewhere): the session ends.
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        properties.UpdateTokenValue("access_token", renewed.AccessToken);
        if (renewed.RefreshToken is not null)
        {
            properties.UpdateTokenValue("refresh_token", renewed.RefreshToken);
        }

        properties.UpdateTokenValue("expires_at", renewed.ExpiresAt.ToString("o", CultureInfo.InvariantCulture));
        context.ShouldRenew = true; // writes the ticket back to the server-side store
    }

    private Task<RenewedTokens?> RedeemOnceAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var key = "bff-refresh:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));
        Lazy<Task<RenewedTokens?>> redemption;
        // IMemoryCache.GetOrCreate is not atomic: two requests racing on one key may both run the factory and each get its
        // own Lazy, which would redeem the refresh token twice. The lock makes one Lazy per key (it is held only to find or
        // add the entry, never across the redemption).
        lock (RedemptionsGate)
        {
            redemption = redemptions.GetOrCreate(key, entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
                // Not cancelled with the first request: the others wait for the same answer.
                return new Lazy<Task<RenewedTokens?>>(() => RedeemAsync(refreshToken, CancellationToken.None));
            })!;
        }

        return redemption.Value.WaitAsync(cancellationToken);
    }

    private async Task<RenewedTokens?> RedeemAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var oidcOptions = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
        var configuration = await oidcOptions.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, configuration.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
            }),
        };
        request.Headers.Authorization = BasicCredentials(options.Value);
        var requestedAt = time.GetUtcNow();
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            LogRefreshRefused((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            return null;
        }

        var body = (await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken))!;
        LogRefreshed(body.ExpiresIn);
        return new RenewedTokens(body.AccessToken, body.RefreshToken, requestedAt.AddSeconds(body.ExpiresIn));
    }

    /// <summary>client_secret_basic (RFC 6749 §2.3.1): id and secret form-encoded, then joined.</summary>
    public static AuthenticationHeaderValue BasicCredentials(BffOptions options) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(options.ClientId)}:{Uri.EscapeDataString(options.ClientSecret)}")));

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Access token renewed with the refresh token; expires in {ExpiresIn} s")]
    private partial void LogRefreshed(int expiresIn);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The token endpoint refused the refresh ({Status}: {Error}); the session ends")]
    private partial void LogRefreshRefused(int status, string error);

    private sealed record RenewedTokens(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}

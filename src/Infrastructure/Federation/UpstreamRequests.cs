using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthService.Application.Federation;
using AuthService.Domain.Federation;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthService.Infrastructure.Federation;

/// <summary>
/// What the OpenID Connect and the OAuth 2.0 upstream protocols share: the authorization request's URL, the reading of
/// the answer's <c>error</c>, the code redemption at the token endpoint (RFC 6749 §4.1.3 with RFC 7636 §4.5) and the
/// reading of claim values from JSON.
/// </summary>
internal static class UpstreamRequests
{
    private const int MaxErrorLength = 64;

    /// <summary>RFC 7636 §4.2: <c>BASE64URL(SHA256(ASCII(code_verifier)))</c>.</summary>
    public static string S256(string codeVerifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));

    /// <summary>
    /// The authorization endpoint with the request's parameters added to any query it already has (RFC 6749 §3.1: the
    /// endpoint's query component MUST be retained). Null values are left out.
    /// </summary>
    public static Uri AuthorizationUrl(string endpoint, IEnumerable<KeyValuePair<string, string?>> parameters) =>
        new(QueryHelpers.AddQueryString(endpoint, parameters.Where(p => p.Value is not null)));

    /// <summary>
    /// The answer's RFC 6749 §4.1.2.1 <c>error</c> as a refusal: <c>access_denied</c> is the person declining; any other
    /// code is reported as is when it is a plain error word, else as <c>upstream_error</c> (it goes to logs and audit).
    /// Null when the answer carries no error.
    /// </summary>
    public static UpstreamOutcome.Refused? ErrorOf(IReadOnlyDictionary<string, string> parameters)
    {
        if (!parameters.TryGetValue("error", out var error))
        {
            return null;
        }

        var word = error is { Length: > 0 and <= MaxErrorLength } && error.All(c => char.IsAsciiLetterLower(c) || c == '_') ? error : "upstream_error";
        return new UpstreamOutcome.Refused(word, Declined: word == "access_denied");
    }

    /// <summary>
    /// What both protocols do with the answer once they have checked its issuer: its <c>error</c> (RFC 6749 §4.1.2.1), its
    /// <c>code</c>, the client secret (a stored Apple key that is not a P-256 PKCS#8 key is <c>client_secret_unusable</c>)
    /// and the code's redemption.
    /// </summary>
    public static async Task<TokenAnswer> RedeemAnswerAsync(
        UpstreamHttp http, IUpstreamClientSecret secrets, Uri tokenEndpoint, ExternalProvider provider, UpstreamCallback callback, bool basic,
        CancellationToken cancellationToken)
    {
        if (ErrorOf(callback.Parameters) is { } error)
        {
            return TokenAnswer.Refused(error, "the upstream answered with an error");
        }

        if (!callback.Parameters.TryGetValue("code", out var code) || code.Length == 0)
        {
            return TokenAnswer.Refused(new UpstreamOutcome.Refused("missing_code"), "no code in the answer");
        }

        string? secret;
        try
        {
            secret = await secrets.ForTokenRequestAsync(provider, cancellationToken);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or FormatException)
        {
            return TokenAnswer.Refused(new UpstreamOutcome.Refused("client_secret_unusable"), ex.GetType().Name);
        }

        return await RedeemCodeAsync(http, tokenEndpoint, provider, callback, code, secret, basic, cancellationToken);
    }

    /// <summary>
    /// Redeems <paramref name="code"/> (RFC 6749 §4.1.3 and RFC 7636 §4.5) with HTTP Basic client authentication
    /// (RFC 6749 §2.3.1: the id and secret form-encoded, then Base64) or the secret in the body, or only the
    /// <c>client_id</c> for a public client. The answer must be a JSON object without <c>error</c> (GitHub says an error with
    /// status 200) and with a string <c>access_token</c>; the refusal otherwise says whether the upstream was unreachable.
    /// </summary>
    private static async Task<TokenAnswer> RedeemCodeAsync(
        UpstreamHttp http, Uri tokenEndpoint, ExternalProvider provider, UpstreamCallback callback, string code, string? secret, bool basic,
        CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, string>> form =
        [
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", callback.RedirectUri.AbsoluteUri),
            new("code_verifier", callback.CodeVerifier),
        ];
        AuthenticationHeaderValue? authorization = null;
        if (secret is not null && basic)
        {
            var credentials = $"{WebUtility.UrlEncode(provider.ClientId)}:{WebUtility.UrlEncode(secret)}";
            authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }
        else
        {
            form.Add(new("client_id", provider.ClientId));
            if (secret is not null)
            {
                form.Add(new("client_secret", secret));
            }
        }

        var response = await http.PostFormAsync(tokenEndpoint, form, authorization, cancellationToken);
        if (response.Failure is not null)
        {
            return TokenAnswer.Refused(new UpstreamOutcome.Refused("token_endpoint_unavailable", Unavailable: true), response.Failure);
        }

        if (!response.IsSuccess)
        {
            // RFC 6749 §5.2: a 400 with an error is the code or the client refused; a 5xx is the upstream failing.
            return TokenAnswer.Refused(new UpstreamOutcome.Refused("token_error", Unavailable: response.Status >= 500), $"status {response.Status}");
        }

        var root = ParseObject(response.Body!);
        if (root is not { } answer || answer.TryGetProperty("error", out _))
        {
            return TokenAnswer.Refused(new UpstreamOutcome.Refused("token_error"), root is null ? "not a JSON object" : "error in a 200 answer");
        }

        if (StringOf(answer, "access_token") is not { Length: > 0 } accessToken)
        {
            return TokenAnswer.Refused(new UpstreamOutcome.Refused("token_error"), "no access_token");
        }

        return new TokenAnswer(null, null, accessToken, StringOf(answer, "id_token"));
    }

    /// <summary>The JSON text as an object, or null when it is not one.</summary>
    public static JsonElement? ParseObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// An identifier claim: a string as is, an integer (GitHub's <c>id</c>) as its invariant decimal text; anything else
    /// (absent, a fraction, an object) is null.
    /// </summary>
    public static string? IdentifierOf(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number when value.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    /// <summary>A verification flag: JSON <c>true</c>, or the string <c>"true"</c> (Apple sends its booleans as strings).</summary>
    public static bool IsTrue(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
        && (value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.String && value.GetString() == "true"));

    /// <summary>A display value the flow may show and store: trimmed, bounded, printable; null otherwise.</summary>
    public static string? DisplayValue(string? value, int maxLength = 256) =>
        value?.Trim() is { Length: > 0 } trimmed && trimmed.Length <= maxLength && !trimmed.Any(char.IsControl) ? trimmed : null;
}

/// <summary>The token endpoint's answer, or the refusal and its reason for the log (never a secret or a code).</summary>
internal sealed record TokenAnswer(UpstreamOutcome.Refused? Refusal, string? LogDetail, string? AccessToken, string? IdToken)
{
    public static TokenAnswer Refused(UpstreamOutcome.Refused refusal, string detail) => new(refusal, detail, null, null);

    /// <summary>Never prints the tokens.</summary>
    public override string ToString() => $"TokenAnswer {{ Refusal = {Refusal}, LogDetail = {LogDetail} }}";
}

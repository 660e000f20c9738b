using System.Text;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Domain.Clients;
using Microsoft.Net.Http.Headers;

namespace AuthService.WebApi.Protocol;

/// <summary>
/// Reads client credentials from the Authorization header (<c>client_secret_basic</c>) or the body
/// (<c>client_secret_post</c>, or <c>client_id</c> alone for public clients). Exactly one method per
/// request (OAuth 2.1 §2.4); secrets are never accepted in the query string (§2.4.1).
/// </summary>
public static class ClientCredentialReader
{
    public const int MaxSecretLength = 512;

    /// <param name="usedBasic">True when the Authorization header was used, so an error is a 401 (RFC 6749 §5.2).</param>
    public static (ClientCredentials? Credentials, OAuthError? Error) Read(HttpRequest request, ProtocolForm form, out bool usedBasic)
    {
        usedBasic = false;
        if (request.Query.ContainsKey("client_secret") || request.Query.ContainsKey("client_assertion"))
        {
            return (null, OAuthError.InvalidRequest("Client credentials must not be sent in the URL."));
        }

        if (form.Contains("client_assertion") || form.Contains("client_assertion_type"))
        {
            // RFC 7523 client authentication is not offered (absent from discovery).
            return (null, OAuthError.InvalidClient);
        }

        var authorization = request.Headers[HeaderNames.Authorization];
        if (authorization.Count > 1)
        {
            return (null, OAuthError.InvalidRequest("The Authorization header is included more than once."));
        }

        if (authorization.Count == 1)
        {
            usedBasic = true;
            return ReadBasic(authorization.ToString(), form);
        }

        var clientId = form["client_id"];
        if (clientId is null || !IsValidClientId(clientId))
        {
            return (null, OAuthError.InvalidClient);
        }

        var secret = form["client_secret"];
        if (secret is null)
        {
            return (new ClientCredentials(clientId, null, PresentedAuthMethod.None), null);
        }

        return secret.Length > MaxSecretLength
            ? (null, OAuthError.InvalidClient)
            : (new ClientCredentials(clientId, secret, PresentedAuthMethod.ClientSecretPost), null);
    }

    private static (ClientCredentials?, OAuthError?) ReadBasic(string header, ProtocolForm form)
    {
        const string Scheme = "Basic ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return (null, OAuthError.InvalidClient);
        }

        if (form.Contains("client_secret"))
        {
            return (null, OAuthError.MultipleAuthenticationMethods);
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(header[Scheme.Length..].Trim()));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return (null, OAuthError.InvalidClient);
        }

        var separator = decoded.IndexOf(':', StringComparison.Ordinal);
        if (separator < 0)
        {
            return (null, OAuthError.InvalidClient);
        }

        // RFC 6749 §2.3.1: the id and secret are form-urlencoded before being joined with ':'.
        var clientId = FormDecode(decoded[..separator]);
        var secret = FormDecode(decoded[(separator + 1)..]);
        if (clientId is null || secret is null || !IsValidClientId(clientId) || secret.Length is 0 or > MaxSecretLength)
        {
            return (null, OAuthError.InvalidClient);
        }

        if (form["client_id"] is { } bodyClientId && !string.Equals(bodyClientId, clientId, StringComparison.Ordinal))
        {
            return (null, OAuthError.InvalidRequest("The client_id in the body does not match the authenticated client."));
        }

        return (new ClientCredentials(clientId, secret, PresentedAuthMethod.ClientSecretBasic), null);
    }

    private static string? FormDecode(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    /// <summary>RFC 6749 Appendix A.1: VSCHAR only, and within the registered length.</summary>
    private static bool IsValidClientId(string clientId) =>
        clientId.Length is > 0 and <= Client.MaxClientIdLength && clientId.All(c => c is >= (char)0x20 and <= (char)0x7E);
}

using System.Text;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Domain.Clients;
using Microsoft.Net.Http.Headers;

namespace AuthService.WebApi.Protocol;

/// <summary>
/// Reads client credentials from the Authorization header (<c>client_secret_basic</c>) or the body
/// (<c>client_secret_post</c>, a <c>client_assertion</c>, or <c>client_id</c> alone for public clients). Exactly one method per
/// request (OAuth 2.1 §2.4); secrets are never accepted in the query string (§2.4.1).
/// </summary>
public static class ClientCredentialReader
{
    public const int MaxSecretLength = 512;

    /// <summary>
    /// True when the request authenticates (or tries to) with the Authorization header: then an
    /// <c>invalid_client</c> is a 401 with <c>WWW-Authenticate</c> (RFC 6749 §5.2).
    /// </summary>
    public static bool UsesAuthorizationHeader(HttpRequest request) => request.Headers[HeaderNames.Authorization].Count > 0;

    public static ProtocolResult<ClientCredentials> Read(HttpRequest request, ProtocolForm form)
    {
        if (request.Query.ContainsKey(OAuthParameters.ClientSecret) || request.Query.ContainsKey(OAuthParameters.ClientAssertion))
        {
            return OAuthError.CredentialsInUrl;
        }

        var authorization = request.Headers[HeaderNames.Authorization];
        if (authorization.Count > 1)
        {
            return OAuthError.RepeatedAuthorizationHeader;
        }

        if (form.Contains(OAuthParameters.ClientAssertion) || form.Contains(OAuthParameters.ClientAssertionType))
        {
            return authorization.Count > 0 || form.Contains(OAuthParameters.ClientSecret)
                ? OAuthError.MultipleAuthenticationMethods
                : ClientAssertionReader.Read(form);
        }

        if (authorization.Count == 1)
        {
            return ReadBasic(authorization.ToString(), form);
        }

        var clientId = form[OAuthParameters.ClientId];
        if (clientId is null || !IsValidClientId(clientId))
        {
            return OAuthError.InvalidClient;
        }

        var secret = form[OAuthParameters.ClientSecret];
        if (secret is null)
        {
            return new ClientCredentials(clientId, null, PresentedAuthMethod.None);
        }

        return secret.Length > MaxSecretLength
            ? OAuthError.InvalidClient
            : new ClientCredentials(clientId, secret, PresentedAuthMethod.ClientSecretPost);
    }

    private static ProtocolResult<ClientCredentials> ReadBasic(string header, ProtocolForm form)
    {
        const string Scheme = "Basic ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return OAuthError.InvalidClient;
        }

        if (form.Contains(OAuthParameters.ClientSecret))
        {
            return OAuthError.MultipleAuthenticationMethods;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(header[Scheme.Length..].Trim()));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return OAuthError.InvalidClient;
        }

        var separator = decoded.IndexOf(':', StringComparison.Ordinal);
        if (separator < 0)
        {
            return OAuthError.InvalidClient;
        }

        // RFC 6749 §2.3.1: the id and secret are form-urlencoded before being joined with ':'.
        var clientId = FormDecode(decoded[..separator]);
        var secret = FormDecode(decoded[(separator + 1)..]);
        if (clientId is null || secret is null || !IsValidClientId(clientId) || secret.Length is 0 or > MaxSecretLength)
        {
            return OAuthError.InvalidClient;
        }

        if (form[OAuthParameters.ClientId] is { } bodyClientId && !string.Equals(bodyClientId, clientId, StringComparison.Ordinal))
        {
            return OAuthError.ClientIdMismatch;
        }

        return new ClientCredentials(clientId, secret, PresentedAuthMethod.ClientSecretBasic);
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
    internal static bool IsValidClientId(string clientId) =>
        clientId.Length is > 0 and <= Client.MaxClientIdLength && clientId.All(c => c is >= (char)0x20 and <= (char)0x7E);
}

using AuthService.Domain.Common;

namespace AuthService.Domain.Clients;

/// <summary>
/// The rules of draft-ietf-oauth-client-id-metadata-document: a <c>client_id</c> that is an https URL names a
/// JSON document of the client's metadata, published by the client and fetched by the server. Such a client is
/// never registered here; it is built from the document, and these rules say which documents are acceptable.
/// </summary>
public static class ClientIdMetadataDocuments
{
    /// <summary>The draft recommends that servers refuse documents larger than 5 kilobytes.</summary>
    public const int MaxDocumentBytes = 5 * 1024;

    /// <summary>A metadata document client may use these grants only: it is a user-facing client without a shared secret.</summary>
    public static readonly IReadOnlyList<string> AllowedGrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken];

    /// <summary>No shared secret can be established with a document (the draft forbids the secret methods): none or private_key_jwt.</summary>
    public static readonly IReadOnlyList<string> AllowedAuthMethods = [TokenEndpointAuthMethods.None, TokenEndpointAuthMethods.PrivateKeyJwt];

    /// <summary>True when <paramref name="clientId"/> is meant as a metadata document URL (it starts with <c>https://</c>).</summary>
    public static bool IsDocumentUrl(string clientId) => clientId.StartsWith("https://", StringComparison.Ordinal);

    /// <summary>
    /// Why <paramref name="clientId"/> cannot be a metadata document URL, or null when it can. The draft's Client
    /// Identifier rules: the https scheme, a path, no single-dot or double-dot path segment, no fragment, no
    /// user name or password; and the server's own, a length within <see cref="Client.MaxClientIdLength"/>.
    /// A query is allowed (the draft says SHOULD NOT, not MUST NOT).
    /// </summary>
    public static string? ValidateUrl(string clientId)
    {
        if (!IsDocumentUrl(clientId))
        {
            return "is not an https URL";
        }

        // A backslash is read as a slash by some URL parsers and not by others: refused, so there is one reading.
        if (clientId.Length > Client.MaxClientIdLength || clientId.Any(c => c <= 0x20 || c >= 0x7F || c == '\\'))
        {
            return $"must be at most {Client.MaxClientIdLength} printable ASCII characters without spaces";
        }

        if (!Uri.TryCreate(clientId, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Host.Length == 0)
        {
            return "is not an absolute https URL";
        }

        if (clientId.Contains('#', StringComparison.Ordinal))
        {
            return "must not have a fragment";
        }

        var authorityEnd = clientId.IndexOfAny(['/', '?'], "https://".Length);
        var authority = authorityEnd < 0 ? clientId["https://".Length..] : clientId["https://".Length..authorityEnd];
        if (authority.Contains('@', StringComparison.Ordinal))
        {
            return "must not have a user name or password";
        }

        // Read from the text itself: System.Uri removes dot segments before they could be seen.
        var path = authorityEnd < 0 || clientId[authorityEnd] == '?' ? "" : clientId[authorityEnd..].Split('?')[0];
        if (path.Length == 0)
        {
            return "must have a path";
        }

        var segments = path[1..].Split('/');
        if (segments.Any(s => s is "." or ".." || s.Equals("%2e", StringComparison.OrdinalIgnoreCase) || s.Equals("%2e%2e", StringComparison.OrdinalIgnoreCase)
            || s.Equals(".%2e", StringComparison.OrdinalIgnoreCase) || s.Equals("%2e.", StringComparison.OrdinalIgnoreCase)))
        {
            return "must not have a . or .. path segment";
        }

        return null;
    }

    /// <summary>
    /// The settings of a client described by a document, checked by the rules of every client (<see cref="Client.ValidateSettings"/>)
    /// and the document rules: auth method <c>none</c> or <c>private_key_jwt</c>, grants from <see cref="AllowedGrantTypes"/>,
    /// consent always asked (such a client is never first-party). Throws <see cref="DomainRuleViolationException"/> naming the member.
    /// </summary>
    public static Client ClientFor(string clientId, ClientSettings settings)
    {
        var urlError = ValidateUrl(clientId);
        Guard.Against(urlError is not null, "client_id", $"client_id {urlError}.");
        Guard.Against(!AllowedAuthMethods.Contains(settings.TokenEndpointAuthMethod), "token_endpoint_auth_method",
            $"A client ID metadata document client authenticates with one of: {string.Join(", ", AllowedAuthMethods)} (no shared secret can be established).");
        Guard.Against(settings.GrantTypes.Any(g => !AllowedGrantTypes.Contains(g)), "grant_types",
            $"A client ID metadata document client may use only: {string.Join(", ", AllowedGrantTypes)}.");
        Guard.Against(!settings.RequireConsent, "require_consent", "A client ID metadata document client always asks for consent.");

        // Such a client exists for as long as its document does: tokens issued to it are not tied to a fetch time.
        return Client.Register(clientId, settings, secret: null, DateTimeOffset.UnixEpoch);
    }
}

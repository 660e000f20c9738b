using System.Text.Json;
using System.Text.Json.Serialization;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;

namespace AuthService.Application.Clients.MetadataDocuments;

/// <summary>
/// The members of a client ID metadata document this server uses (RFC 7591 §2 names). Other members
/// (<c>client_uri</c>, <c>logo_uri</c>, <c>software_id</c>, ...) are ignored, as RFC 7591 §2 asks; members that
/// would make the client more trusted than a stranger (first-party consent, lifetimes, audiences, profiles) are
/// not read at all.
/// </summary>
public sealed record ClientIdMetadataDocument(
    [property: JsonPropertyName("client_id")] string? ClientId,
    [property: JsonPropertyName("client_name")] string? ClientName,
    [property: JsonPropertyName("redirect_uris")] IReadOnlyList<string>? RedirectUris,
    [property: JsonPropertyName("post_logout_redirect_uris")] IReadOnlyList<string>? PostLogoutRedirectUris,
    [property: JsonPropertyName("grant_types")] IReadOnlyList<string>? GrantTypes,
    [property: JsonPropertyName("response_types")] IReadOnlyList<string>? ResponseTypes,
    [property: JsonPropertyName("token_endpoint_auth_method")] string? TokenEndpointAuthMethod,
    [property: JsonPropertyName("token_endpoint_auth_signing_alg")] string? TokenEndpointAuthSigningAlg,
    [property: JsonPropertyName("jwks")] JsonElement? Jwks,
    [property: JsonPropertyName("jwks_uri")] string? JwksUri,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("client_secret")] JsonElement? ClientSecret,
    [property: JsonPropertyName("client_secret_expires_at")] JsonElement? ClientSecretExpiresAt)
{
    private static readonly JsonSerializerOptions Json = new() { AllowTrailingCommas = false, MaxDepth = 16 };

    /// <summary>
    /// The client the document at <paramref name="url"/> describes. Throws <see cref="DomainRuleViolationException"/>
    /// naming the member when the document is not acceptable.
    /// </summary>
    public static Client Parse(string url, string body, IReadOnlyList<string> allowedScopes)
    {
        ClientIdMetadataDocument? document;
        try
        {
            document = body.TrimStart().StartsWith('{') ? JsonSerializer.Deserialize<ClientIdMetadataDocument>(body, Json) : null;
        }
        catch (JsonException)
        {
            document = null;
        }

        Refuse(document is null, "document", "The document is not a JSON object of client metadata.");
        return document!.ToClient(url, allowedScopes);
    }

    private static void Refuse(bool condition, string field, string message)
    {
        if (condition)
        {
            throw new DomainRuleViolationException(field, message);
        }
    }

    private Client ToClient(string url, IReadOnlyList<string> allowedScopes)
    {
        // The draft: client_id must equal the document's URL by simple string comparison (RFC 3986 §6.2.1), byte for byte.
        Refuse(!string.Equals(ClientId, url, StringComparison.Ordinal), "client_id", "The document's client_id is not exactly its URL.");

        // The draft: no shared secret with a document, so the secret members must not be there at all.
        Refuse(ClientSecret is not null || ClientSecretExpiresAt is not null, "client_secret",
            "A client ID metadata document must not contain client_secret or client_secret_expires_at.");
        Refuse(ResponseTypes is not null && (ResponseTypes.Count != 1 || ResponseTypes[0] != "code"), "response_types",
            "response_types must be [\"code\"].");
        Refuse(new[] { RedirectUris, PostLogoutRedirectUris, GrantTypes }.Any(list => list?.Any(string.IsNullOrEmpty) == true), "redirect_uris",
            "Lists must not contain null or empty entries.");

        // Narrowed to what the operator allows such clients (as for any client the server did not vet itself).
        var requested = Scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal) ?? allowedScopes;
        var settings = new ClientSettings(
            ClientName: ClientName ?? url,
            // RFC 7591 §2: absent means client_secret_basic, which a document cannot use.
            TokenEndpointAuthMethod: TokenEndpointAuthMethod ?? TokenEndpointAuthMethods.ClientSecretBasic,
            RedirectUris: RedirectUris ?? [],
            PostLogoutRedirectUris: PostLogoutRedirectUris ?? [],
            GrantTypes: GrantTypes ?? [Domain.Clients.GrantTypes.AuthorizationCode],
            AllowedScopes: [.. requested.Where(allowedScopes.Contains)],
            AccessTokenLifetime: ClientSettings.DefaultAccessTokenLifetime,
            Audience: null)
        {
            RequireConsent = true,
            Jwks = Jwks is { ValueKind: not JsonValueKind.Null } jwks ? jwks.GetRawText() : null,
            JwksUri = JwksUri,
            TokenEndpointAuthSigningAlg = TokenEndpointAuthSigningAlg,
        };
        return ClientIdMetadataDocuments.ClientFor(url, settings);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using AuthService.Domain.Clients;

namespace AuthService.Application.Clients.Common;

/// <summary>What the admin API shows of a secret: never its value or hash. <c>active</c>: it authenticates now.</summary>
public sealed record ClientSecretResponse(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, bool Active)
{
    public static ClientSecretResponse From(ClientSecret secret, DateTimeOffset now) =>
        new(secret.Id, secret.CreatedAt.ToUniversalTime(), secret.ExpiresAt?.ToUniversalTime(), secret.IsValidAt(now));
}

/// <summary>
/// A client as the admin API shows it: its RFC 7591 metadata (<c>scope</c> space-separated,
/// <c>access_token_lifetime</c> in seconds), its state and its secrets' metadata.
/// </summary>
public record ClientResponse(
    string ClientId,
    string ClientName,
    string Type,
    string TokenEndpointAuthMethod,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    IReadOnlyList<string> GrantTypes,
    string Scope,
    int AccessTokenLifetime,
    string? Audience,
    bool RequireConsent,
    string IdTokenSignedResponseAlg,
    JsonElement? Jwks,
    string? JwksUri,
    string? TokenEndpointAuthSigningAlg,
    string? TlsClientAuthSubjectDn,
    string? TlsClientAuthSanDns,
    [property: JsonPropertyName("dpop_bound_access_tokens")] bool DPoPBoundAccessTokens,
    bool TlsClientCertificateBoundAccessTokens,
    bool RequirePushedAuthorizationRequests,
    string? RequestObjectSigningAlg,
    string? Profile,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ClientSecretResponse> Secrets)
{
    /// <summary><c>static</c> (seed file or admin API) or <c>dynamic</c> (RFC 7591 registration endpoint).</summary>
    public string RegistrationSource { get; init; } = "static";

    /// <summary>When a dynamic client last obtained a token (recorded at most daily); null for static clients.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    public string? BackchannelLogoutUri { get; init; }

    public bool BackchannelLogoutSessionRequired { get; init; }

    public string? FrontchannelLogoutUri { get; init; }

    public bool FrontchannelLogoutSessionRequired { get; init; }

    /// <inheritdoc cref="ClientSettings.RequireMfa"/>
    public bool RequireMfa { get; init; }

    /// <inheritdoc cref="ClientSettings.DefaultAcrValues"/>
    public IReadOnlyList<string> DefaultAcrValues { get; init; } = [];

    /// <summary>Token requests per second on one replica; null when the server's default (<c>Auth:RateLimits:Token:PermitsPerSecond</c>) applies.</summary>
    public int? TokenRateLimit { get; init; }

    /// <summary>The client's token exchange policy (RFC 8693); omitted when it has none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TokenExchangeMetadata? TokenExchange { get; init; }

    public static string NameOf(RegistrationSource source) => source == Domain.Clients.RegistrationSource.Dynamic ? "dynamic" : "static";

    public static RegistrationSource? ParseRegistrationSource(string value) => value switch
    {
        "static" => Domain.Clients.RegistrationSource.Static,
        "dynamic" => Domain.Clients.RegistrationSource.Dynamic,
        _ => null,
    };

    public static ClientResponse From(Client client, DateTimeOffset now) => new(
        client.ClientId,
        client.ClientName,
        client.Type == ClientType.Public ? "public" : "confidential",
        client.TokenEndpointAuthMethod,
        [.. client.RedirectUris],
        [.. client.PostLogoutRedirectUris],
        [.. client.GrantTypes],
        string.Join(' ', client.AllowedScopes),
        (int)client.AccessTokenLifetime.TotalSeconds,
        client.Audience,
        client.RequireConsent,
        client.IdTokenSignedResponseAlg,
        client.Jwks is null ? null : JsonDocument.Parse(client.Jwks).RootElement.Clone(),
        client.JwksUri,
        client.TokenEndpointAuthSigningAlg,
        client.TlsClientAuthSubjectDn,
        client.TlsClientAuthSanDns,
        client.DPoPBoundAccessTokens,
        client.TlsClientCertificateBoundAccessTokens,
        client.RequirePushedAuthorizationRequests,
        client.RequestObjectSigningAlg,
        client.Profile,
        client.Enabled,
        client.CreatedAt.ToUniversalTime(),
        client.UpdatedAt.ToUniversalTime(),
        [.. client.Secrets.OrderBy(s => s.CreatedAt).Select(s => ClientSecretResponse.From(s, now))])
    {
        RegistrationSource = NameOf(client.RegistrationSource),
        LastUsedAt = client.LastUsedAt?.ToUniversalTime(),
        BackchannelLogoutUri = client.BackchannelLogoutUri,
        BackchannelLogoutSessionRequired = client.BackchannelLogoutSessionRequired,
        FrontchannelLogoutUri = client.FrontchannelLogoutUri,
        FrontchannelLogoutSessionRequired = client.FrontchannelLogoutSessionRequired,
        TokenExchange = TokenExchangeMetadata.From(client.TokenExchange),
        RequireMfa = client.RequireMfa,
        DefaultAcrValues = [.. client.DefaultAcrValues],
        TokenRateLimit = client.TokenRateLimit,
    };
}

/// <summary>
/// The registration response: the client plus, for a confidential client, its generated secret, shown
/// this once (RFC 7591 §3.2.1; <c>client_secret_expires_at</c> 0 means it does not expire).
/// </summary>
public sealed record RegisteredClientResponse : ClientResponse
{
    public RegisteredClientResponse(ClientResponse client, string? clientSecret)
        : base(client)
    {
        ClientSecret = clientSecret;
        ClientSecretExpiresAt = clientSecret is null ? null : 0;
    }

    public string? ClientSecret { get; }

    public long? ClientSecretExpiresAt { get; }

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"RegisteredClientResponse {{ ClientId = {ClientId}, ClientSecret = *** }}";
}

/// <summary>A client with its version, the <c>ETag</c> of the response.</summary>
public sealed record ClientResult(ClientResponse Client, int Version);

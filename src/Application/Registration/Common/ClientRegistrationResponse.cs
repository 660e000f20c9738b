using System.Text.Json;
using System.Text.Json.Serialization;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Domain.Clients;

namespace AuthService.Application.Registration.Common;

/// <summary>
/// The client information response (RFC 7591 §3.2.1, RFC 7592 §3): the registered metadata as stored (never an
/// unknown member of the request), the client identifier, and the credentials shown only when issued:
/// <c>client_secret</c> at registration, <c>registration_access_token</c> at registration and at every update.
/// </summary>
public sealed record ClientRegistrationResponse(
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("client_id_issued_at")] long ClientIdIssuedAt,
    [property: JsonPropertyName("client_name")] string ClientName,
    [property: JsonPropertyName("redirect_uris")] IReadOnlyList<string> RedirectUris,
    [property: JsonPropertyName("grant_types")] IReadOnlyList<string> GrantTypes,
    [property: JsonPropertyName("response_types")] IReadOnlyList<string> ResponseTypes,
    [property: JsonPropertyName("token_endpoint_auth_method")] string TokenEndpointAuthMethod,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("id_token_signed_response_alg")] string IdTokenSignedResponseAlg,
    [property: JsonPropertyName("registration_client_uri")] string RegistrationClientUri)
{
    [JsonPropertyName("post_logout_redirect_uris")]
    public IReadOnlyList<string>? PostLogoutRedirectUris { get; init; }

    [JsonPropertyName("jwks")]
    public JsonElement? Jwks { get; init; }

    [JsonPropertyName("jwks_uri")]
    public string? JwksUri { get; init; }

    [JsonPropertyName("token_endpoint_auth_signing_alg")]
    public string? TokenEndpointAuthSigningAlg { get; init; }

    [JsonPropertyName("dpop_bound_access_tokens")]
    public bool? DPoPBoundAccessTokens { get; init; }

    [JsonPropertyName("backchannel_logout_uri")]
    public string? BackchannelLogoutUri { get; init; }

    [JsonPropertyName("backchannel_logout_session_required")]
    public bool? BackchannelLogoutSessionRequired { get; init; }

    [JsonPropertyName("frontchannel_logout_uri")]
    public string? FrontchannelLogoutUri { get; init; }

    [JsonPropertyName("frontchannel_logout_session_required")]
    public bool? FrontchannelLogoutSessionRequired { get; init; }

    /// <summary>OIDC Dynamic Client Registration 1.0 §2; omitted when none are registered.</summary>
    [JsonPropertyName("default_acr_values")]
    public IReadOnlyList<string>? DefaultAcrValues { get; init; }

    [JsonPropertyName("client_secret")]
    public string? ClientSecret { get; init; }

    /// <summary>RFC 7591 §3.2.1: required with a secret; 0 means it does not expire.</summary>
    [JsonPropertyName("client_secret_expires_at")]
    public long? ClientSecretExpiresAt { get; init; }

    [JsonPropertyName("registration_access_token")]
    public string? RegistrationAccessToken { get; init; }

    /// <summary>RFC 7592 §2: where the client reads, updates and deletes its registration.</summary>
    public static string ClientUri(IIssuerProvider issuer, string clientId) =>
        issuer.Url($"{ProtocolEndpoints.Registration}/{Uri.EscapeDataString(clientId)}");

    public static ClientRegistrationResponse From(Client client, IIssuerProvider issuer, string? clientSecret = null, string? registrationAccessToken = null) =>
        new(
            client.ClientId,
            client.CreatedAt.ToUnixTimeSeconds(),
            client.ClientName,
            [.. client.RedirectUris],
            [.. client.GrantTypes],
            client.GrantTypes.Contains(Domain.Clients.GrantTypes.AuthorizationCode) ? ["code"] : [],
            client.TokenEndpointAuthMethod,
            string.Join(' ', client.AllowedScopes),
            client.IdTokenSignedResponseAlg,
            ClientUri(issuer, client.ClientId))
        {
            PostLogoutRedirectUris = client.PostLogoutRedirectUris.Count > 0 ? [.. client.PostLogoutRedirectUris] : null,
            Jwks = client.Jwks is null ? null : JsonDocument.Parse(client.Jwks).RootElement.Clone(),
            JwksUri = client.JwksUri,
            TokenEndpointAuthSigningAlg = client.TokenEndpointAuthSigningAlg,
            DPoPBoundAccessTokens = client.DPoPBoundAccessTokens ? true : null,
            BackchannelLogoutUri = client.BackchannelLogoutUri,
            BackchannelLogoutSessionRequired = client.BackchannelLogoutUri is null ? null : client.BackchannelLogoutSessionRequired,
            FrontchannelLogoutUri = client.FrontchannelLogoutUri,
            FrontchannelLogoutSessionRequired = client.FrontchannelLogoutUri is null ? null : client.FrontchannelLogoutSessionRequired,
            DefaultAcrValues = client.DefaultAcrValues.Count > 0 ? [.. client.DefaultAcrValues] : null,
            ClientSecret = clientSecret,
            ClientSecretExpiresAt = clientSecret is null ? null : 0,
            RegistrationAccessToken = registrationAccessToken,
        };

    /// <summary>Never prints the secret or the registration access token.</summary>
    public override string ToString() => $"ClientRegistrationResponse {{ ClientId = {ClientId}, ClientSecret = ***, RegistrationAccessToken = *** }}";
}

using System.Text.Json.Serialization;
using AuthService.Domain.Federation;

namespace AuthService.Application.Federation.Common;

/// <summary>
/// An upstream provider as the admin API shows it: the members of <see cref="ExternalProviderMetadata"/> with every
/// preset default filled in, without the secret. The secret (the client secret, or Apple's private key) is write-only: a
/// stored secret is never handed back, not even to an administrator; <c>client_secret_set</c> tells only whether one is stored.
/// </summary>
public sealed record ExternalProviderResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("preset")] string? Preset,
    [property: JsonPropertyName("protocol")] string Protocol,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("client_secret_set")] bool ClientSecretSet,
    [property: JsonPropertyName("issuer")] string? Issuer,
    [property: JsonPropertyName("authorization_endpoint")] string? AuthorizationEndpoint,
    [property: JsonPropertyName("token_endpoint")] string? TokenEndpoint,
    [property: JsonPropertyName("userinfo_endpoint")] string? UserInfoEndpoint,
    [property: JsonPropertyName("scopes")] IReadOnlyList<string> Scopes,
    [property: JsonPropertyName("claims")] ClaimMappingMetadata Claims,
    [property: JsonPropertyName("trust_email_verified")] bool TrustEmailVerified,
    [property: JsonPropertyName("auto_provision")] bool AutoProvision,
    [property: JsonPropertyName("allowed_email_domains")] IReadOnlyList<string> AllowedEmailDomains,
    [property: JsonPropertyName("apple_team_id")] string? AppleTeamId,
    [property: JsonPropertyName("apple_key_id")] string? AppleKeyId,
    [property: JsonPropertyName("enabled")] bool Enabled,
    [property: JsonPropertyName("response_mode")] string ResponseMode,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    public static ExternalProviderResponse From(ExternalProvider provider) => new(
        provider.Name,
        provider.DisplayName,
        provider.Preset,
        provider.Protocol == ExternalProtocol.OAuth2 ? ExternalProviderMetadata.OAuth2 : ExternalProviderMetadata.OpenIdConnect,
        provider.ClientId,
        provider.ProtectedSecret is not null,
        provider.Issuer,
        provider.AuthorizationEndpoint,
        provider.TokenEndpoint,
        provider.UserInfoEndpoint,
        [.. provider.Scopes],
        new ClaimMappingMetadata(provider.Claims.Subject, provider.Claims.Email, provider.Claims.EmailVerified, provider.Claims.Name),
        provider.TrustEmailVerified,
        provider.AutoProvision,
        [.. provider.AllowedEmailDomains],
        provider.AppleTeamId,
        provider.AppleKeyId,
        provider.Enabled,
        provider.ResponseMode,
        provider.CreatedAt.ToUniversalTime(),
        provider.UpdatedAt.ToUniversalTime());
}

/// <summary>A provider and its version (its <c>ETag</c>).</summary>
public sealed record ExternalProviderResult(ExternalProviderResponse Provider, int Version);

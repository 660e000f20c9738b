using System.Text.Json.Serialization;
using AuthService.Domain.Federation;

namespace AuthService.Application.Federation.Common;

/// <summary>
/// An upstream provider as the seed file and the admin API declare it (docs/adr/0037). Required: <c>name</c>,
/// <c>display_name</c>, <c>client_id</c>, and either a <c>preset</c> (google, microsoft, apple, github) or the
/// <c>protocol</c> (openid_connect with <c>issuer</c>; oauth2 with the three endpoints). <c>client_secret</c> (or, for
/// Apple, <c>apple_private_key</c>, the PKCS#8 PEM of the key that signs the client secret) is write-only and stored
/// encrypted. <c>claims</c> renames the upstream claims read for <c>sub</c>, <c>email</c>, <c>email_verified</c>, <c>name</c>.
/// <c>response_mode</c> (<c>query</c> or <c>form_post</c>) is how the upstream answers; absent: the preset's (Apple: form_post).
/// </summary>
public sealed record ExternalProviderMetadata(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("client_id")] string? ClientId,
    [property: JsonPropertyName("client_secret")] string? ClientSecret = null,
    [property: JsonPropertyName("preset")] string? Preset = null,
    [property: JsonPropertyName("protocol")] string? Protocol = null,
    [property: JsonPropertyName("issuer")] string? Issuer = null,
    [property: JsonPropertyName("authorization_endpoint")] string? AuthorizationEndpoint = null,
    [property: JsonPropertyName("token_endpoint")] string? TokenEndpoint = null,
    [property: JsonPropertyName("userinfo_endpoint")] string? UserInfoEndpoint = null,
    [property: JsonPropertyName("scopes")] IReadOnlyList<string>? Scopes = null,
    [property: JsonPropertyName("claims")] ClaimMappingMetadata? Claims = null,
    [property: JsonPropertyName("trust_email_verified")] bool? TrustEmailVerified = null,
    [property: JsonPropertyName("auto_provision")] bool? AutoProvision = null,
    [property: JsonPropertyName("allowed_email_domains")] IReadOnlyList<string>? AllowedEmailDomains = null,
    [property: JsonPropertyName("apple_team_id")] string? AppleTeamId = null,
    [property: JsonPropertyName("apple_key_id")] string? AppleKeyId = null,
    [property: JsonPropertyName("apple_private_key")] string? ApplePrivateKey = null,
    [property: JsonPropertyName("enabled")] bool? Enabled = null,
    [property: JsonPropertyName("response_mode")] string? ResponseMode = null)
{
    public const string OpenIdConnect = "openid_connect";
    public const string OAuth2 = "oauth2";

    /// <summary>The secret to store: the client secret, or Apple's private key.</summary>
    [JsonIgnore]
    public string? Secret => ApplePrivateKey ?? ClientSecret;

    /// <summary>
    /// The settings, the secret already encrypted (<paramref name="protectedSecret"/>; null keeps the stored one); the
    /// aggregate validates them. An unknown <c>protocol</c> word fails as the aggregate's protocol rule.
    /// </summary>
    public ExternalProviderSettings ToSettings(byte[]? protectedSecret) => new(
        DisplayName,
        ClientId,
        Protocol switch
        {
            null or OpenIdConnect => ExternalProtocol.OpenIdConnect,
            OAuth2 => ExternalProtocol.OAuth2,
            _ => (ExternalProtocol)(-1),
        },
        Preset,
        protectedSecret,
        Issuer,
        AuthorizationEndpoint,
        TokenEndpoint,
        UserInfoEndpoint,
        Scopes,
        Claims?.ToMapping(ExternalProviderPresets.ClaimsOf(Preset)),
        TrustEmailVerified ?? false,
        AutoProvision ?? false,
        AllowedEmailDomains,
        AppleTeamId,
        AppleKeyId,
        Enabled ?? true,
        ResponseMode);

    /// <summary>Never prints the secret or the key.</summary>
    public override string ToString() => $"ExternalProviderMetadata {{ Name = {Name}, Preset = {Preset} }}";
}

/// <summary>Upstream claim names; an absent one keeps the preset's (or the OpenID Connect standard) name.</summary>
public sealed record ClaimMappingMetadata(
    [property: JsonPropertyName("sub")] string? Subject,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("email_verified")] string? EmailVerified,
    [property: JsonPropertyName("name")] string? Name)
{
    public ClaimMapping ToMapping(ClaimMapping defaults) => new(
        Subject ?? defaults.Subject, Email ?? defaults.Email, EmailVerified ?? defaults.EmailVerified, Name ?? defaults.Name);
}

/// <summary>Limits the aggregate cannot check (it only sees the encrypted secret).</summary>
public static class ExternalProviderMetadataRules
{
    /// <summary>A client secret, or an Apple PKCS#8 PEM (a P-256 key is about 250 characters).</summary>
    public const int MaxSecretLength = 4096;
}

using System.Collections.Frozen;
using AuthService.Domain.Clients;

namespace AuthService.Application.Common.Security;

/// <summary>
/// An immutable copy of a client for the hot path, safe to share between requests and threads.
/// </summary>
public sealed class ClientSnapshot
{
    private ClientSnapshot(Client client)
    {
        ClientId = client.ClientId;
        Type = client.Type;
        TokenEndpointAuthMethod = client.TokenEndpointAuthMethod;
        Secrets = [.. client.Secrets.Select(s => new SecretSnapshot(s.Hash, s.ExpiresAt, s.ProtectedValue))];
        GrantTypes = client.GrantTypes.ToFrozenSet(StringComparer.Ordinal);
        AllowedScopes = [.. client.AllowedScopes];
        AllowedScopeSet = client.AllowedScopes.ToFrozenSet(StringComparer.Ordinal);
        AccessTokenLifetime = client.AccessTokenLifetime;
        Audience = client.Audience;
        Enabled = client.Enabled;
        CreatedAt = client.CreatedAt;
        ClientName = client.ClientName;
        RedirectUris = [.. client.RedirectUris];
        PostLogoutRedirectUris = [.. client.PostLogoutRedirectUris];
        RequireConsent = client.RequireConsent;
        IdTokenSignedResponseAlg = client.IdTokenSignedResponseAlg;
        Jwks = client.Jwks;
        JwksUri = client.JwksUri;
        TokenEndpointAuthSigningAlg = client.TokenEndpointAuthSigningAlg;
        TlsClientAuthSubjectDn = client.TlsClientAuthSubjectDn;
        TlsClientAuthSanDns = client.TlsClientAuthSanDns;
        DPoPBoundAccessTokens = client.DPoPBoundAccessTokens;
        TlsClientCertificateBoundAccessTokens = client.TlsClientCertificateBoundAccessTokens;
        RequirePushedAuthorizationRequests = client.RequirePushedAuthorizationRequests;
        RequestObjectSigningAlg = client.RequestObjectSigningAlg;
        Profile = client.Profile;
        TokenExchange = client.TokenExchange;
        RequireMfa = client.RequireMfa;
        DefaultAcrValues = [.. client.DefaultAcrValues];
        RegistrationSource = client.RegistrationSource;
        LastUsedAt = client.LastUsedAt;
        TokenRateLimit = client.TokenRateLimit;
    }

    /// <inheritdoc cref="Client.TokenRateLimit"/>
    public int? TokenRateLimit { get; }

    /// <inheritdoc cref="Client.RegistrationSource"/>
    public RegistrationSource RegistrationSource { get; }

    /// <inheritdoc cref="Client.LastUsedAt"/>
    public DateTimeOffset? LastUsedAt { get; }

    /// <inheritdoc cref="Client.Jwks"/>
    public string? Jwks { get; }

    /// <inheritdoc cref="Client.JwksUri"/>
    public string? JwksUri { get; }

    /// <inheritdoc cref="Client.TokenEndpointAuthSigningAlg"/>
    public string? TokenEndpointAuthSigningAlg { get; }

    /// <inheritdoc cref="Client.TlsClientAuthSubjectDn"/>
    public string? TlsClientAuthSubjectDn { get; }

    /// <inheritdoc cref="Client.TlsClientAuthSanDns"/>
    public string? TlsClientAuthSanDns { get; }

    /// <inheritdoc cref="Client.DPoPBoundAccessTokens"/>
    public bool DPoPBoundAccessTokens { get; }

    /// <inheritdoc cref="Client.TlsClientCertificateBoundAccessTokens"/>
    public bool TlsClientCertificateBoundAccessTokens { get; }

    /// <inheritdoc cref="Client.RequirePushedAuthorizationRequests"/>
    public bool RequirePushedAuthorizationRequests { get; }

    /// <inheritdoc cref="Client.RequestObjectSigningAlg"/>
    public string? RequestObjectSigningAlg { get; }

    /// <inheritdoc cref="Client.Profile"/>
    public string? Profile { get; }

    /// <inheritdoc cref="Client.TokenExchange"/>
    public TokenExchangePolicy TokenExchange { get; } = TokenExchangePolicy.None;

    /// <inheritdoc cref="Client.RequireMfa"/>
    public bool RequireMfa { get; }

    /// <inheritdoc cref="Client.DefaultAcrValues"/>
    public IReadOnlyList<string> DefaultAcrValues { get; }

    /// <summary>True when the client is held to the FAPI 2.0 Security Profile.</summary>
    public bool IsFapi2 => Profile == ClientProfiles.Fapi2;

    public string ClientName { get; }

    public IReadOnlyList<string> RedirectUris { get; }

    public IReadOnlyList<string> PostLogoutRedirectUris { get; }

    public bool RequireConsent { get; }

    public string IdTokenSignedResponseAlg { get; }

    public string ClientId { get; }

    public ClientType Type { get; }

    public string TokenEndpointAuthMethod { get; }

    public IReadOnlyList<SecretSnapshot> Secrets { get; }

    public FrozenSet<string> GrantTypes { get; }

    /// <summary>In registration order, so a default scope set is reported in a stable order.</summary>
    public IReadOnlyList<string> AllowedScopes { get; }

    public FrozenSet<string> AllowedScopeSet { get; }

    public TimeSpan AccessTokenLifetime { get; }

    public string? Audience { get; }

    public bool Enabled { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <inheritdoc cref="Client.Vouches(DateTimeOffset)"/>
    public bool Vouches(DateTimeOffset issuedAt) => Client.Vouches(Enabled, CreatedAt, issuedAt);

    public static ClientSnapshot From(Client client) => new(client);

    /// <summary>A client built from its client ID metadata document (draft-ietf-oauth-client-id-metadata-document), not registered here.</summary>
    public static ClientSnapshot FromMetadataDocument(Client client) => new(client) { IsMetadataDocumentClient = true };

    /// <summary>True for a client whose client_id is the URL of its metadata document: a stranger, always asked for consent.</summary>
    public bool IsMetadataDocumentClient { get; private init; }

    /// <inheritdoc cref="Client.AllowsGrant(string)"/>
    public bool AllowsGrant(string grantType) => Client.AllowsGrant(Type, GrantTypes, grantType);

    /// <summary>
    /// True when <paramref name="presented"/> matches a secret valid at <paramref name="now"/>. Every
    /// secret is compared, in constant time, whatever matched first.
    /// </summary>
    public bool HasValidSecret(string presented, DateTimeOffset now)
    {
        var matched = false;
        foreach (var secret in Secrets)
        {
            matched |= ClientSecret.Authenticates(secret.Hash, secret.ExpiresAt, presented, now);
        }

        return matched;
    }
}

/// <summary>A secret as the hot path needs it; <paramref name="ProtectedValue"/> is set for client_secret_jwt only.</summary>
public sealed record SecretSnapshot(SecretHash Hash, DateTimeOffset? ExpiresAt, byte[]? ProtectedValue = null)
{
    /// <summary>Never prints the protected value.</summary>
    public override string ToString() => $"SecretSnapshot {{ ExpiresAt = {ExpiresAt} }}";
}

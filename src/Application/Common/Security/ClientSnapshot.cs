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
        Secrets = [.. client.Secrets.Select(s => new SecretSnapshot(s.Hash, s.ExpiresAt))];
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
    }

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

public sealed record SecretSnapshot(SecretHash Hash, DateTimeOffset? ExpiresAt);

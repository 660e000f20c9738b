using System.Buffers.Text;
using System.Security.Cryptography;
using AuthService.Domain.Common;

namespace AuthService.Domain.RefreshTokens;

/// <summary>
/// The refresh tokens descended from one authorization (RFC 9700 §4.14.2; OAuth 2.1 §4.3). A use either
/// rotates the token (<see cref="Rotate"/>: the presented one is consumed and a new one, one generation later,
/// is issued) or, for a client that must not rotate, keeps it (<see cref="Keep"/>; FAPI 2.0 Security Profile
/// §5.3.2.1); the client's profile decides (<see cref="Clients.ClientProfiles.RotatesRefreshTokens"/>).
/// Presenting any token but the current generation is reuse, and revokes the whole family. Generations
/// are a counter, not timestamps (Keycloak issue #50999: two rotations within one second). Tokens are
/// stored only as SHA-256 hashes (<see cref="RefreshToken"/>). The family ends at its absolute
/// lifetime however often it is used, and earlier when unused for the idle lifetime.
/// </summary>
public sealed class RefreshTokenFamily : AggregateRoot
{
    private List<string> _scopes = [];
    private List<string> _resources = [];

    private List<string> _authenticationMethods = [];

    /// <summary>The RFC 8176 <c>amr</c> values of the sign-in this grant came from; empty when not recorded (OIDC Core §2).</summary>
    public IReadOnlyList<string> AuthenticationMethods => _authenticationMethods;
    private List<AccessTokenReference> _legacyAccessTokens = [];

    private RefreshTokenFamily()
    {
        ClientId = null!;
    }

    public Guid Id { get; private set; }

    public string ClientId { get; private set; }

    public Guid UserId { get; private set; }

    public Guid? SessionId { get; private set; }

    /// <summary>The scopes the user granted; a refresh may narrow them, never widen (RFC 6749 §6).</summary>
    public IReadOnlyList<string> Scopes => _scopes;

    /// <summary>The resources of the original grant (RFC 8707 §2.2): a refresh may ask for any of these and no other.</summary>
    public IReadOnlyList<string> Resources => _resources;

    public DateTimeOffset AuthTime { get; private set; }

    /// <summary>The user's security stamp at sign-in: a family outlives no password change or disabling (RFC 9700 §4.14.2).</summary>
    public string? SecurityStamp { get; private set; }

    /// <summary>The generation of the current token; the first token is generation 1.</summary>
    public int Generation { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset LastUsedAt { get; private set; }

    public DateTimeOffset AbsoluteExpiresAt { get; private set; }

    public TimeSpan IdleLifetime { get; private set; }

    /// <summary><see cref="LastUsedAt"/> + <see cref="IdleLifetime"/>, stored so the clean-up can select on it.</summary>
    public DateTimeOffset IdleExpiresAt { get; private set; }

    /// <summary>
    /// The access tokens issued before the family's tokens named it (<see cref="AccessTokenKey"/>; docs/adr/0040), listed
    /// by jti and expiry as every family did then: they are denylisted one by one when the family is revoked. Nothing is
    /// added any more; expired ones are dropped at the next refresh, so the list empties within one access-token lifetime.
    /// </summary>
    public IReadOnlyList<AccessTokenReference> LegacyAccessTokens => _legacyAccessTokens;

    /// <summary>
    /// When the last access token issued from the family expires (null: none issued since the family's tokens name it).
    /// Ending the family denies its tokens by <see cref="AccessTokenKey"/> until then.
    /// </summary>
    public DateTimeOffset? AccessTokensExpireAt { get; private set; }

    /// <summary>
    /// The value every access token issued from the family carries (the <c>fam</c> claim, docs/adr/0040), so that ending the
    /// family denies all of them with one denylist entry (RFC 7009 §2.1) instead of one per token: the first 128 bits of
    /// SHA-256 over the family's random id, base64url. It names the family to the denylist only: the id itself (a random
    /// version-4 GUID) is not revealed, and the value is not guessable, nor usable as a credential anywhere.
    /// </summary>
    public string AccessTokenKey => KeyOf(Id);

    /// <inheritdoc cref="AccessTokenKey"/>
    public static string KeyOf(Guid familyId)
    {
        Span<byte> id = stackalloc byte[16];
        familyId.TryWriteBytes(id);
        return Base64Url.EncodeToString(SHA256.HashData(id)[..16]);
    }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>
    /// The DPoP key (RFC 7638 thumbprint) the family's tokens are bound to: RFC 9449 §5 binds a public
    /// client's refresh tokens to the key of the proof that obtained them. Null when not bound.
    /// </summary>
    public string? BoundJkt { get; private set; }

    /// <summary>The client certificate (SHA-256 thumbprint, RFC 8705 §4) the family's tokens are bound to, or null.</summary>
    public string? BoundCertificateThumbprint { get; private set; }

    public string? RevocationReason { get; private set; }

    /// <summary>
    /// The tenant chosen at the authorization (docs/adr/0038): every refresh keeps it and checks the membership again; null
    /// when the grant has no tenant.
    /// </summary>
    public Guid? TenantId { get; private set; }

    public static (RefreshTokenFamily Family, RefreshToken Token) Start(
        Guid id, string tokenHash, RefreshTokenGrant grant, RefreshTokenLifetimes lifetimes, DateTimeOffset now)
    {
        Guard.Against(id == Guid.Empty, "id", "A family needs an id.");
        Guard.Against(string.IsNullOrEmpty(grant.ClientId), "client_id", "A family belongs to a client.");
        Guard.Against(grant.UserId == Guid.Empty, "user", "A family belongs to a user.");
        Guard.Against(grant.Scopes.Count == 0, "scope", "A family carries the granted scopes.");
        Guard.RequireUtc(now, nameof(now));
        Guard.RequireUtc(grant.AuthTime, "auth_time");
        lifetimes.Validate();
        var family = new RefreshTokenFamily
        {
            Id = id,
            ClientId = grant.ClientId,
            UserId = grant.UserId,
            SessionId = grant.SessionId,
            _scopes = [.. grant.Scopes],
            _resources = [.. grant.Resources],
            _authenticationMethods = [.. grant.AuthenticationMethods],
            AuthTime = grant.AuthTime,
            SecurityStamp = grant.SecurityStamp,
            TenantId = grant.TenantId,
            BoundJkt = grant.BoundJkt,
            BoundCertificateThumbprint = grant.BoundCertificateThumbprint,
            Generation = 1,
            CreatedAt = now,
            LastUsedAt = now,
            IdleExpiresAt = now + lifetimes.Idle,
            AbsoluteExpiresAt = now + lifetimes.Absolute,
            IdleLifetime = lifetimes.Idle,
        };
        family.Raise(new Events.RefreshTokenFamilyStarted(id, grant.ClientId, grant.UserId, now));
        return (family, RefreshToken.For(tokenHash, id, 1, now));
    }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && now < AbsoluteExpiresAt && now < IdleExpiresAt;

    /// <summary>What presenting a token of generation <paramref name="generation"/> by <paramref name="clientId"/> means now.</summary>
    public RefreshTokenUse CheckUse(string clientId, int generation, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (!string.Equals(clientId, ClientId, StringComparison.Ordinal))
        {
            return RefreshTokenUse.WrongClient;
        }

        if (RevokedAt is not null)
        {
            return RefreshTokenUse.Revoked;
        }

        if (generation != Generation)
        {
            return RefreshTokenUse.Reused;
        }

        return now >= AbsoluteExpiresAt || now >= IdleExpiresAt ? RefreshTokenUse.Expired : RefreshTokenUse.Current;
    }

    /// <summary>
    /// Whether a refresh presenting the client certificate with this thumbprint (null: none) may use the family:
    /// always when the family is not bound, else only with the bound certificate (RFC 8705 §4).
    /// </summary>
    public bool AcceptsCertificate(string? certificateThumbprint) =>
        BoundCertificateThumbprint is null || string.Equals(BoundCertificateThumbprint, certificateThumbprint, StringComparison.Ordinal);

    /// <summary>
    /// <see cref="CheckUse"/> for a refresh request, which also presents the DPoP proof's key thumbprint and the
    /// client certificate's (each null when absent). A family bound to a key (<see cref="BoundJkt"/>, RFC 9449 §5)
    /// or to a certificate (<see cref="BoundCertificateThumbprint"/>, RFC 8705 §4) answers
    /// <see cref="RefreshTokenUse.WrongKey"/> to any other key or certificate, or to none. The binding is checked
    /// before revocation and reuse, like the client: whoever holds a stolen token but not the key learns nothing
    /// and revokes nothing.
    /// </summary>
    public RefreshTokenUse CheckRefresh(string clientId, int generation, string? proofJkt, DateTimeOffset now, string? certificateThumbprint = null)
    {
        Guard.RequireUtc(now, nameof(now));
        if (!string.Equals(clientId, ClientId, StringComparison.Ordinal))
        {
            return RefreshTokenUse.WrongClient;
        }

        if ((BoundJkt is not null && !string.Equals(BoundJkt, proofJkt, StringComparison.Ordinal)) || !AcceptsCertificate(certificateThumbprint))
        {
            return RefreshTokenUse.WrongKey;
        }

        return CheckUse(clientId, generation, now);
    }

    /// <summary>Consumes the current token and issues the next generation (RFC 9700 §4.14.2 rotation).</summary>
    public RefreshToken Rotate(int presentedGeneration, string newTokenHash, DateTimeOffset now)
    {
        RequireCurrent(presentedGeneration, now);
        var next = RefreshToken.For(newTokenHash, Id, Generation + 1, now);
        Generation = next.Generation;
        RestartIdleWindow(now);
        return next;
    }

    /// <summary>
    /// Uses the current token without rotating it: it stays the current generation and valid for the next refresh,
    /// and only the idle window restarts (the absolute lifetime, revocation and the bindings are unchanged). For the
    /// clients that must not rotate (FAPI 2.0 Security Profile §5.3.2.1; OAuth 2.1 §4.3.3 lets the server keep the
    /// refresh token when it issues no new one).
    /// </summary>
    public void Keep(int presentedGeneration, DateTimeOffset now)
    {
        RequireCurrent(presentedGeneration, now);
        RestartIdleWindow(now);
    }

    private void RequireCurrent(int presentedGeneration, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(!IsActive(now), "refresh_token", "The family is revoked or expired.");
        Guard.Against(presentedGeneration != Generation, "refresh_token", "Only the current token can be used.");
    }

    private void RestartIdleWindow(DateTimeOffset now)
    {
        LastUsedAt = now;
        IdleExpiresAt = now + IdleLifetime;
        if (_legacyAccessTokens.Exists(token => token.ExpiresAt <= now))
        {
            _legacyAccessTokens = [.. _legacyAccessTokens.Where(token => token.ExpiresAt > now)];
        }
    }

    /// <summary>
    /// Remembers that an access token carrying <see cref="AccessTokenKey"/> was issued from the family and expires at
    /// <paramref name="expiresAt"/>, so that revoking the family denies it until then. Constant size: only the latest expiry is kept.
    /// </summary>
    public void RecordAccessToken(DateTimeOffset expiresAt)
    {
        Guard.RequireUtc(expiresAt, "exp");
        if (AccessTokensExpireAt is not { } known || expiresAt > known)
        {
            AccessTokensExpireAt = expiresAt;
        }
    }

    /// <summary>Revokes every token of the family; false when it was already revoked.</summary>
    public bool Revoke(string reason, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(string.IsNullOrEmpty(reason) || reason.Length > 100, "reason", "A revocation has a short reason.");
        if (RevokedAt is not null)
        {
            return false;
        }

        RevokedAt = now;
        RevocationReason = reason;
        Raise(new Events.RefreshTokenFamilyRevoked(Id, ClientId, UserId, reason, now));
        return true;
    }
}

/// <summary>An access token listed on a family before tokens named their family: enough to denylist it until it expires.</summary>
public sealed record AccessTokenReference(string JwtId, DateTimeOffset ExpiresAt);

/// <summary>What the user granted, carried by the family.</summary>
public sealed record RefreshTokenGrant(
    string ClientId, Guid UserId, Guid? SessionId, IReadOnlyList<string> Scopes, DateTimeOffset AuthTime, string? SecurityStamp = null)
{
    /// <inheritdoc cref="RefreshTokenFamily.BoundJkt"/>
    public string? BoundJkt { get; init; }

    /// <summary>The RFC 8176 <c>amr</c> values of the sign-in, kept so refreshed ID tokens carry the same (OIDC Core §12.2).</summary>
    public IReadOnlyList<string> AuthenticationMethods { get; init; } = [];

    /// <inheritdoc cref="RefreshTokenFamily.BoundCertificateThumbprint"/>
    public string? BoundCertificateThumbprint { get; init; }

    /// <inheritdoc cref="RefreshTokenFamily.Resources"/>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <inheritdoc cref="RefreshTokenFamily.TenantId"/>
    public Guid? TenantId { get; init; }
}

/// <summary>Absolute (ASVS 10.4.8) and idle (RFC 9700 §4.14.2) lifetimes of a family.</summary>
public sealed record RefreshTokenLifetimes(TimeSpan Absolute, TimeSpan Idle)
{
    public void Validate()
    {
        Guard.Against(Absolute <= TimeSpan.Zero, "absolute_lifetime", "The absolute lifetime must be positive.");
        Guard.Against(Idle <= TimeSpan.Zero || Idle > Absolute, "idle_lifetime", "The idle lifetime must be positive and at most the absolute lifetime.");
    }
}

public enum RefreshTokenUse
{
    Current,
    WrongClient,
    WrongKey,
    Revoked,
    Expired,
    Reused,
}

/// <summary>One issued refresh token: its hash, its family and its generation. Never changes once written.</summary>
public sealed class RefreshToken
{
    private RefreshToken()
    {
        TokenHash = null!;
    }

    public string TokenHash { get; private set; }

    public Guid FamilyId { get; private set; }

    public int Generation { get; private set; }

    public DateTimeOffset IssuedAt { get; private set; }

    internal static RefreshToken For(string tokenHash, Guid familyId, int generation, DateTimeOffset now)
    {
        Guard.Against(tokenHash is not { Length: OpaqueToken.HashLength }, "refresh_token", "A refresh token is stored as its SHA-256 (base64url).");
        return new RefreshToken { TokenHash = tokenHash, FamilyId = familyId, Generation = generation, IssuedAt = now };
    }
}

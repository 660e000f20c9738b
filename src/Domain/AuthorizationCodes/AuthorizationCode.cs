using AuthService.Domain.Common;
using AuthService.Domain.Users;

namespace AuthService.Domain.AuthorizationCodes;

/// <summary>
/// An authorization code (RFC 6749 §4.1.2; OAuth 2.1 §4.1.2): stored only as the SHA-256 of the value
/// handed to the browser, bound to the client, the redirect URI, the PKCE challenge, the user and the
/// session, short-lived and usable once. A second redemption with valid client credentials and verifier
/// is a replay: the tokens issued from the first are to be revoked (RFC 9700 §4.2.4). A redemption with
/// a wrong verifier or by another client changes nothing, so whoever holds only the code cannot revoke
/// the rightful client's tokens (OAuth 2.1 §4.1.3).
/// </summary>
public sealed class AuthorizationCode : AggregateRoot
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);

    private List<string> _scopes = [];
    private List<string> _resources = [];

    private List<string> _authenticationMethods = [];

    /// <summary>The RFC 8176 <c>amr</c> values of the sign-in this grant came from; empty when not recorded (OIDC Core §2).</summary>
    public IReadOnlyList<string> AuthenticationMethods => _authenticationMethods;

    private AuthorizationCode()
    {
        CodeHash = null!;
        ClientId = null!;
        RedirectUri = null!;
        CodeChallenge = null!;
    }

    /// <summary>SHA-256 of the code (see <see cref="OpaqueToken.HashOf"/>); the key.</summary>
    public string CodeHash { get; private set; }

    public string ClientId { get; private set; }

    public Guid UserId { get; private set; }

    public Guid SessionId { get; private set; }

    /// <summary>The redirect URI the response went to.</summary>
    public string RedirectUri { get; private set; }

    /// <summary>Whether the authorization request named the redirect URI (then the token request must repeat it, RFC 6749 §4.1.3).</summary>
    public bool RedirectUriWasSent { get; private set; }

    public IReadOnlyList<string> Scopes => _scopes;

    /// <summary>The resources the authorization request named (RFC 8707 §2.1): the only ones the code's tokens may be for.</summary>
    public IReadOnlyList<string> Resources => _resources;

    public string CodeChallenge { get; private set; }

    public string? Nonce { get; private set; }

    /// <summary>The JWK thumbprint the code is bound to (RFC 9449 §10 <c>dpop_jkt</c>): redeemable only with a proof by that key.</summary>
    public string? DPoPJkt { get; private set; }

    public DateTimeOffset AuthTime { get; private set; }

    /// <summary>The user's security stamp when the code was issued: a code outlives no password change.</summary>
    public string? SecurityStamp { get; private set; }

    /// <summary>
    /// The tenant the person chose for this grant (docs/adr/0038 "The tenant in tokens"), or null when the <c>tenant</c>
    /// scope was not granted or the person has no membership. Redemption checks the membership again.
    /// </summary>
    public Guid? TenantId { get; private set; }

    public DateTimeOffset IssuedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RedeemedAt { get; private set; }

    /// <summary>The access token issued at redemption (its jti and expiry), to be denylisted on replay.</summary>
    public string? AccessTokenId { get; private set; }

    public DateTimeOffset? AccessTokenExpiresAt { get; private set; }

    /// <summary>The refresh token family started at redemption, if any, to be revoked on replay.</summary>
    public Guid? RefreshTokenFamilyId { get; private set; }

    /// <summary>Set once the replay has been answered by revoking the tokens.</summary>
    public DateTimeOffset? ReplayDetectedAt { get; private set; }

    public static AuthorizationCode Issue(string codeHash, AuthorizationCodeGrant grant, DateTimeOffset now, TimeSpan lifetime)
    {
        Guard.Against(codeHash is not { Length: OpaqueToken.HashLength }, "code", "A code is stored as its SHA-256 (base64url).");
        Guard.Against(string.IsNullOrEmpty(grant.ClientId), "client_id", "A code is issued to a client.");
        Guard.Against(grant.UserId == Guid.Empty, "user", "A code is issued for a user.");
        Guard.Against(grant.SessionId == Guid.Empty, "sid", "A code belongs to a session.");
        Guard.Against(string.IsNullOrEmpty(grant.RedirectUri), "redirect_uri", "A code is bound to a redirect URI.");
        Guard.Against(!Pkce.IsValidChallenge(grant.CodeChallenge), "code_challenge", "A code is bound to an S256 challenge.");
        Guard.RequireUtc(now, nameof(now));
        Guard.RequireUtc(grant.AuthTime, "auth_time");
        Guard.Against(grant.AuthTime > now, "auth_time", "The user cannot have signed in after the code was issued.");
        Guard.Against(lifetime <= TimeSpan.Zero || lifetime > MaxLifetime, "lifetime", "A code lives at most 10 minutes (OAuth 2.1 §4.1.2).");
        return new AuthorizationCode
        {
            CodeHash = codeHash,
            ClientId = grant.ClientId,
            UserId = grant.UserId,
            SessionId = grant.SessionId,
            RedirectUri = grant.RedirectUri,
            RedirectUriWasSent = grant.RedirectUriWasSent,
            _scopes = [.. grant.Scopes],
            _resources = [.. grant.Resources],
            _authenticationMethods = [.. grant.AuthenticationMethods],
            CodeChallenge = grant.CodeChallenge,
            Nonce = grant.Nonce,
            DPoPJkt = grant.DPoPJkt,
            AuthTime = grant.AuthTime,
            SecurityStamp = grant.SecurityStamp,
            TenantId = grant.TenantId,
            IssuedAt = now,
            ExpiresAt = now + lifetime,
        };
    }

    /// <summary>
    /// Redeems the code for a token request, once, and says why not when it refuses. The order matters: a
    /// request that fails the binding (client, PKCE verifier, redirect URI) is refused before replay is
    /// considered, so whoever holds only the code can never revoke the rightful client's tokens; then a used
    /// code is <see cref="CodeRedemption.Replayed"/>, an expired one refused, and the user must still be
    /// allowed tokens with the credentials of the sign-in the code came from. Only
    /// <see cref="CodeRedemption.Redeemed"/> changes the code; <see cref="RecordIssued"/> follows it.
    /// <paramref name="proofJkt"/> is the thumbprint of the DPoP proof's key sent with the token request, or null
    /// without a proof: a code bound with <c>dpop_jkt</c> is redeemable only with a proof by that key (RFC 9449 §10).
    /// </summary>
    public CodeRedemption Redeem(string clientId, string? codeVerifier, string? redirectUri, string? proofJkt, User? user, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(user is not null && user.Id != UserId, "user", "The code is redeemed against the user it was issued for.");
        if (!string.Equals(clientId, ClientId, StringComparison.Ordinal))
        {
            return CodeRedemption.WrongClient;
        }

        // RFC 7636 §4.6; CVE-2024-22258: a verifier is always checked, there is no code without a challenge.
        if (!Pkce.Verifies(CodeChallenge, codeVerifier))
        {
            return CodeRedemption.WrongVerifier;
        }

        // RFC 6749 §4.1.3: required and identical when the authorization request had it; when sent anyway, it must match.
        if ((RedirectUriWasSent && redirectUri is null) || (redirectUri is not null && !string.Equals(redirectUri, RedirectUri, StringComparison.Ordinal)))
        {
            return CodeRedemption.WrongRedirectUri;
        }

        // RFC 9449 §10: part of the binding, so a holder of the code without the key cannot trigger replay handling.
        if (DPoPJkt is not null && !string.Equals(DPoPJkt, proofJkt, StringComparison.Ordinal))
        {
            return CodeRedemption.WrongDPoPKey;
        }

        if (RedeemedAt is not null)
        {
            return CodeRedemption.Replayed;
        }

        if (now >= ExpiresAt)
        {
            return CodeRedemption.Expired;
        }

        if (user is null || !user.MayReceiveTokens(now))
        {
            return CodeRedemption.UserMayNotReceiveTokens;
        }

        // A code outlives no password change or disabling (RFC 9700 §4.14.2 applied to the code's grant).
        if (!user.CredentialsUnchangedSince(SecurityStamp))
        {
            return CodeRedemption.CredentialsChanged;
        }

        RedeemedAt = now;
        Raise(new Events.AuthorizationCodeRedeemed(CodeHash, ClientId, UserId, now));
        return CodeRedemption.Redeemed;
    }

    /// <summary>
    /// Records the tokens issued from the redemption, to be revoked if the code is replayed. A caller that did not
    /// just redeem the code, or records twice, has a bug: that throws.
    /// </summary>
    public void RecordIssued(IssuedFromCode issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        Guard.Against(RedeemedAt is null || AccessTokenId is not null, "code", "Only a code just redeemed records what it issued, once.");
        Guard.Against(string.IsNullOrEmpty(issued.AccessTokenId), "jti", "The access token issued from the code is recorded.");
        AccessTokenId = issued.AccessTokenId;
        AccessTokenExpiresAt = issued.AccessTokenExpiresAt;
        RefreshTokenFamilyId = issued.RefreshTokenFamilyId;
    }

    /// <summary>Makes an unredeemed code unusable (its session ended): it expires now. False when it was used or expired already.</summary>
    public bool Withdraw(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (RedeemedAt is not null || now >= ExpiresAt)
        {
            return false;
        }

        ExpiresAt = now;
        return true;
    }

    /// <summary>Records that a replay was detected (once); the caller revokes what <see cref="RecordIssued"/> recorded.</summary>
    public bool RecordReplay(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(RedeemedAt is null, "code", "Only a redeemed code can be replayed.");
        if (ReplayDetectedAt is not null)
        {
            return false;
        }

        ReplayDetectedAt = now;
        Raise(new Events.AuthorizationCodeReplayed(CodeHash, ClientId, UserId, now));
        return true;
    }
}

/// <summary>What an authorization request granted, to be bound to its code.</summary>
public sealed record AuthorizationCodeGrant(
    string ClientId,
    Guid UserId,
    Guid SessionId,
    string RedirectUri,
    bool RedirectUriWasSent,
    IReadOnlyList<string> Scopes,
    string CodeChallenge,
    string? Nonce,
    DateTimeOffset AuthTime,
    string? SecurityStamp = null)
{
    /// <summary>RFC 9449 §10: the <c>dpop_jkt</c> of the authorization request, or null.</summary>
    public string? DPoPJkt { get; init; }

    /// <summary>RFC 8707 §2.1: the <c>resource</c> values of the authorization request, validated; empty when none.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>The session's RFC 8176 <c>amr</c> values when the code was issued; empty when not recorded.</summary>
    public IReadOnlyList<string> AuthenticationMethods { get; init; } = [];

    /// <inheritdoc cref="AuthorizationCode.TenantId"/>
    public Guid? TenantId { get; init; }
}

/// <summary>The tokens a redemption issued: revoked together if the code is replayed.</summary>
public sealed record IssuedFromCode(string AccessTokenId, DateTimeOffset AccessTokenExpiresAt, Guid? RefreshTokenFamilyId);

/// <summary>What a redemption came to: only <see cref="Redeemed"/> changed the code; every other value is a refusal (<c>invalid_grant</c>).</summary>
public enum CodeRedemption
{
    Redeemed,
    WrongClient,
    WrongVerifier,
    WrongRedirectUri,
    WrongDPoPKey,
    Expired,
    Replayed,
    UserMayNotReceiveTokens,
    CredentialsChanged,
}

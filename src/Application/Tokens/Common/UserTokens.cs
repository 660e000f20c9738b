using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Resources;
using AuthService.Application.SignIn;
using AuthService.Domain.Clients;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Users;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Tokens.Common;

/// <summary>The tokens of one grant to a user, signed but not yet returned.</summary>
public sealed record UserTokenSet(IssuedAccessToken AccessToken, string? IdToken, IReadOnlyList<string> Scopes, string? DPoPJkt = null)
{
    /// <summary>The access token's lifetime (<c>expires_in</c>): the client's, or its resource's (RFC 8707).</summary>
    public TimeSpan Lifetime { get; init; }
}

/// <summary>
/// Signs what the code and refresh grants return for a user: an RFC 9068 access token whose <c>sub</c> is
/// the user's stable id, and, when <c>openid</c> was granted, an ID token (OIDC Core §2) with
/// <c>at_hash</c>, <c>auth_time</c>, <c>nonce</c> and <c>sid</c>; both with the grant's tenant claims (docs/adr/0038).
/// </summary>
public sealed class UserTokens(
    IAccessTokenIssuer accessTokens,
    IIdTokenIssuer idTokens,
    IIssuerProvider issuer,
    IOptions<SignInOptions> options,
    ResourceIndicators resources)
{
    public const string OpenId = "openid";
    public const string OfflineAccess = "offline_access";

    /// <summary>
    /// What the access token of a grant's token request is for (RFC 8707 §2.2): the <c>resource</c> values of the request,
    /// which must be among the grant's, or all of the grant's when it names none; without resources, today's audience.
    /// </summary>
    public async Task<ProtocolResult<TokenAudience>> AudienceAsync(
        ClientSnapshot client, string? requestedResources, IReadOnlyList<string> grantedResources, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var targets = await resources.ForGrantAsync(requestedResources, grantedResources, client, cancellationToken);
        return targets.IsSuccess ? ResourceIndicators.Target(targets.Value, scopes, client, issuer.Issuer) : targets.Error;
    }

    /// <summary>
    /// Signs the access token for <paramref name="audience"/> and, when <paramref name="scopes"/> (the grant's) include
    /// <c>openid</c>, the ID token: the access token's scope may be narrowed to a resource's, the ID token's is not.
    /// </summary>
    public UserTokenSet Issue(ClientSnapshot client, User user, IReadOnlyList<string> scopes, TokenAudience audience, UserTokenContext context, DateTimeOffset now)
    {
        var accessToken = accessTokens.Issue(new AccessTokenDescriptor(
            Subject: user.Id.ToString(),
            ClientId: client.ClientId,
            Audience: audience.Audiences[0],
            Scopes: audience.Scopes,
            IssuedAt: now,
            Lifetime: audience.Lifetime)
        {
            Audiences = audience.Audiences,
            Algorithm = audience.Algorithm,
            Confirmation = SenderConstraint.Confirmation(context.DPoPJkt, context.Certificate),
            Tenant = context.Tenant.Tenant,
            Family = context.FamilyKey,
        });
        var idToken = scopes.Contains(OpenId, StringComparer.Ordinal)
            ? idTokens.Issue(new IdTokenDescriptor(
                Subject: user.Id.ToString(),
                ClientId: client.ClientId,
                Algorithm: client.IdTokenSignedResponseAlg,
                IssuedAt: now,
                Lifetime: options.Value.IdTokenLifetime,
                AuthTime: context.AuthTime,
                Nonce: context.Nonce,
                AccessToken: accessToken.Token,
                SessionId: context.SessionId?.ToString())
            {
                AuthenticationMethods = context.AuthenticationMethods,
                Tenant = context.Tenant.Tenant,
                Tenants = context.Tenant.Tenants,
            })
            : null;
        return new UserTokenSet(accessToken, idToken, audience.Scopes, context.DPoPJkt) { Lifetime = audience.Lifetime };
    }

    /// <summary>A refresh token family is started only when offline_access was granted and the client may refresh (OIDC Core §11).</summary>
    public static bool GrantsRefreshToken(ClientSnapshot client, IReadOnlyList<string> scopes) =>
        client.AllowsGrant(GrantTypes.RefreshToken) && scopes.Contains(OfflineAccess, StringComparer.Ordinal);

    /// <summary>
    /// RFC 8705 §4: a public client's refresh tokens are bound to the certificate it presented, since it has no
    /// other credential; a confidential client's are bound to its authentication already.
    /// </summary>
    public static string? RefreshBinding(ClientSnapshot client, ClientCredentials credentials) =>
        client.Type == ClientType.Public ? credentials.Certificate?.Thumbprint : null;

    public RefreshTokenLifetimes RefreshTokenLifetimes => new(options.Value.RefreshTokenAbsoluteLifetime, options.Value.RefreshTokenIdleLifetime);

    public static TokenResponse Response(UserTokenSet tokens, string? refreshToken) =>
        new(tokens.AccessToken.Token, SenderConstraint.TokenType(tokens.DPoPJkt), (int)tokens.Lifetime.TotalSeconds, ScopeSet.Format(tokens.Scopes))
        {
            RefreshToken = refreshToken,
            IdToken = tokens.IdToken,
        };
}

/// <summary>The sign-in the tokens come from, and the DPoP key (RFC 9449 §6.1 <c>jkt</c>) the access token is bound to, if any.</summary>
public sealed record UserTokenContext(DateTimeOffset AuthTime, string? Nonce, Guid? SessionId, string? DPoPJkt = null)
{
    /// <summary>The client certificate's <c>cnf</c> (RFC 8705 §3), or null when the request came without one.</summary>
    public TokenConfirmation? Certificate { get; init; }

    /// <summary>How the person authenticated (RFC 8176 <c>amr</c>), carried from the session through the grant; empty when not recorded.</summary>
    public IReadOnlyList<string> AuthenticationMethods { get; init; } = [];

    /// <summary>The grant's tenant claims (docs/adr/0038), read now; none by default.</summary>
    public TenantGrantClaims Tenant { get; init; } = TenantGrantClaims.None;

    /// <summary>The <see cref="RefreshTokenFamily.AccessTokenKey"/> of the family the access token comes from, or null for none.</summary>
    public string? FamilyKey { get; init; }
}

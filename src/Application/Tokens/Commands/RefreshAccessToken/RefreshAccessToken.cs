using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Persistence;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Sessions;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Tokens.Commands.RefreshAccessToken;

/// <summary><c>grant_type=refresh_token</c> (RFC 6749 §6; OAuth 2.1 §4.3).</summary>
public sealed record RefreshAccessToken(ClientCredentials Credentials, string? RefreshToken, string? Scope, string? RemoteAddress, DPoPPresentation? DPoP = null)
    : IRequest<ProtocolResult<TokenResponse>>
{
    /// <summary>The <c>resource</c> values of the token request (RFC 8707 §2.2), space-joined; null when none.</summary>
    public string? Resource { get; init; }

    public override string ToString() => $"RefreshAccessToken {{ ClientId = {Credentials.ClientId} }}";
}

/// <summary>
/// Rotates the refresh token on every use (RFC 9700 §4.14.2), except for a client held to the FAPI 2.0 Security
/// Profile, whose token stays valid (§5.3.2.1). A token of an older generation is reuse:
/// the whole family is revoked, with its latest access token. Two refreshes racing with one token are
/// serialized by the family's version (and a unique generation per family): one wins, the other reruns and
/// finds its token consumed, which is reuse. A refresh may narrow the scope, never widen it.
/// </summary>
public sealed partial class RefreshAccessTokenHandler(
    ClientAuthenticator authenticator,
    SenderConstraint senderConstraint,
    IRefreshTokenFamilyRepository families,
    UserTokens tokens,
    TenantClaimsReader tenantClaims,
    GrantRevocation revocation,
    IUnitOfWork unitOfWork,
    TimeProvider clock,
    ILogger<RefreshAccessTokenHandler> logger) : IRequestHandler<RefreshAccessToken, ProtocolResult<TokenResponse>>
{
    private static readonly OAuthError InvalidRefreshToken = OAuthError.InvalidRefreshToken;

    /// <summary>The family's revocation reason (audited as <c>refresh_token_family.revoked</c>) when its tenant is gone for the person.</summary>
    public const string TenantMembershipEnded = "tenant_membership_ended";

    public async Task<ProtocolResult<TokenResponse>> Handle(RefreshAccessToken request, CancellationToken cancellationToken)
    {
        var authenticated = await authenticator.AuthenticateForTokenAsync(request.Credentials, request.RemoteAddress, GrantTypes.RefreshToken, cancellationToken);
        if (!authenticated.IsSuccess)
        {
            return authenticated.Error;
        }

        var client = authenticated.Value;

        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            return OAuthError.MissingRefreshToken;
        }

        var requested = ScopeSet.Parse(request.Scope);
        if (!requested.IsSuccess)
        {
            return requested.Error;
        }

        if (request.RefreshToken.Length != OpaqueToken.HashLength)
        {
            return InvalidRefreshToken;
        }

        var jkt = await senderConstraint.ProofKeyAsync(client, request.Credentials, request.DPoP, cancellationToken);
        if (!jkt.IsSuccess)
        {
            return jkt.Error;
        }

        var tokenHash = OpaqueToken.HashOf(request.RefreshToken);
        return await ConflictRetry.RunAsync(ct => RefreshAsync(client, tokenHash, requested.Value, request, jkt.Value, ct), cancellationToken);
    }

    /// <summary>
    /// One read-decide-write attempt. Losing the race to a concurrent refresh with the same token reruns it: the
    /// fresh read then finds the token consumed, which is reuse.
    /// </summary>
    private async Task<(ProtocolResult<TokenResponse> Answer, SaveResult Save)> RefreshAsync(
        ClientSnapshot client, string tokenHash, IReadOnlyList<string> requested, RefreshAccessToken request, string? jkt, CancellationToken cancellationToken)
    {
        var credentials = request.Credentials;
        // docs/adr/0040: the token, its family and the person in one read; the write below is one batch with the family's
        // version check.
        if (await families.FindForRefreshAsync(tokenHash, cancellationToken) is not var (family, presented, user))
        {
            return (InvalidRefreshToken, SaveResult.Saved);
        }

        var now = clock.GetUtcNow();
        // A family bound to a DPoP key or a certificate (public clients, RFC 9449 §5, RFC 8705 §4) refuses another key
        // or certificate, or none, without revoking: see docs/adr/0022.
        switch (family.CheckRefresh(client.ClientId, presented.Generation, jkt, now, credentials.Certificate?.Thumbprint))
        {
            case RefreshTokenUse.Current:
                break;
            case RefreshTokenUse.WrongKey:
                LogWrongKey(logger, family.ClientId, family.Id);
                return (InvalidRefreshToken, SaveResult.Saved);
            case RefreshTokenUse.Reused:
                await revocation.RevokeFamilyAsync(family.Id, "reuse", cancellationToken);
                LogReuse(logger, family.ClientId, family.Id);
                return (InvalidRefreshToken, SaveResult.Saved);
            default:
                return (InvalidRefreshToken, SaveResult.Saved);
        }

        // RFC 6749 §6: the scope may not include any scope not originally granted.
        var scopes = requested.Count == 0 ? family.Scopes : requested;
        if (scopes.Any(scope => !family.Scopes.Contains(scope, StringComparer.Ordinal)))
        {
            return (OAuthError.ScopeExceedsGrant, SaveResult.Saved);
        }

        // docs/adr/0032: require_mfa holds at the token endpoint too. A grant made with one factor (before the client turned
        // the policy on) no longer gives this client tokens; the person signs in again with two. The family is kept, not
        // revoked: it refreshes again if the policy is turned off.
        if (client.RequireMfa && AuthenticationMethods.AcrOf(family.AuthenticationMethods) != AuthenticationMethods.AcrMfa)
        {
            return (OAuthError.GrantBelowClientMfaPolicy, SaveResult.Saved);
        }

        if (user is not null && !user.CredentialsUnchangedSince(family.SecurityStamp))
        {
            // A password change or disabling ends the grant for good (RFC 9700 §4.14.2).
            await revocation.RevokeFamilyAsync(family.Id, "credentials_changed", cancellationToken);
            return (InvalidRefreshToken, SaveResult.Saved);
        }

        if (user is null || !user.MayReceiveTokens(now))
        {
            return (InvalidRefreshToken, SaveResult.Saved);
        }

        // RFC 8707 §2.2: any resource of the original grant and no other; a refresh may switch between them.
        var audience = await tokens.AudienceAsync(client, request.Resource, family.Resources, scopes, cancellationToken);
        if (!audience.IsSuccess)
        {
            return (audience.Error, SaveResult.Saved);
        }

        // docs/adr/0038: the family keeps its tenant, with the person's roles there now. A removed membership or a suspended
        // (or deleted) tenant ends the grant for good, as disabling the person does (RFC 9700 §4.14.2).
        var tenant = await tenantClaims.ForGrantAsync(family.TenantId, family.UserId, scopes, cancellationToken);
        if (tenant.HasEnded)
        {
            await revocation.RevokeFamilyAsync(family.Id, TenantMembershipEnded, cancellationToken);
            return (OAuthError.TenantGrantEnded, SaveResult.Saved);
        }

        var issued = tokens.Issue(client, user, scopes, audience.Value, new UserTokenContext(family.AuthTime, Nonce: null, family.SessionId, jkt)
        {
            Tenant = tenant,
            Certificate = credentials.Confirmation,

            // OIDC Core §12.2: a refreshed ID token says how the person authenticated at the original sign-in.
            AuthenticationMethods = family.AuthenticationMethods,
            FamilyKey = family.AccessTokenKey,
        }, now);
        // FAPI 2.0 Security Profile §5.3.2.1: a fapi2 client's token is kept, not rotated, and the response carries no
        // new one (RFC 6749 §6, OAuth 2.1 §4.3.3: a new refresh token is optional); see docs/adr/0025.
        string? next = null;
        if (ClientProfiles.RotatesRefreshTokens(client.Profile))
        {
            next = OpaqueToken.New();
            families.AddToken(family.Rotate(presented.Generation, OpaqueToken.HashOf(next), now));
        }
        else
        {
            family.Keep(presented.Generation, now);
        }

        family.RecordAccessToken(issued.AccessToken.ExpiresAt);
        var save = await unitOfWork.SaveChangesAsync(cancellationToken);
        return (save == SaveResult.Saved ? UserTokens.Response(issued, next) : InvalidRefreshToken, save);
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Security event refresh_token_reuse_detected: client {ClientId}, family {FamilyId} revoked")]
    private static partial void LogReuse(ILogger logger, string clientId, Guid familyId);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning,
        Message = "Security event refresh_token_binding_mismatch: client {ClientId}, family {FamilyId} is bound to another DPoP key or client certificate")]
    private static partial void LogWrongKey(ILogger logger, string clientId, Guid familyId);
}

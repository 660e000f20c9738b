using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Persistence;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.AuthorizationCodes;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Tokens.Commands.RedeemAuthorizationCode;

/// <summary><c>grant_type=authorization_code</c> (RFC 6749 §4.1.3; OAuth 2.1 §4.1.3; RFC 7636 §4.5).</summary>
public sealed record RedeemAuthorizationCode(
    ClientCredentials Credentials,
    string? Code,
    string? CodeVerifier,
    string? RedirectUri,
    string? RemoteAddress,
    DPoPPresentation? DPoP = null) : IRequest<ProtocolResult<TokenResponse>>
{
    /// <summary>The <c>resource</c> values of the token request (RFC 8707 §2.2), space-joined; null when none.</summary>
    public string? Resource { get; init; }

    public override string ToString() => $"RedeemAuthorizationCode {{ ClientId = {Credentials.ClientId} }}";
}

/// <summary>
/// Exchanges a code for tokens, once. A confidential client authenticates; a public client names itself
/// and proves possession with the PKCE verifier. The code must have been issued to this client, to this
/// redirect URI, for this verifier. A second valid redemption is a replay: it fails, and the tokens from
/// the first are revoked (RFC 9700 §4.2.4; OAuth 2.1 §4.1.3). Two redemptions racing on one code are
/// serialized by the code's version: one wins, the other reruns and finds the code redeemed, a replay.
/// </summary>
public sealed partial class RedeemAuthorizationCodeHandler(
    ClientAuthenticator authenticator,
    SenderConstraint senderConstraint,
    IAuthorizationCodeRepository codes,
    IRefreshTokenFamilyRepository families,
    UserTokens tokens,
    TenantClaimsReader tenantClaims,
    GrantRevocation revocation,
    IUnitOfWork unitOfWork,
    TimeProvider clock,
    ILogger<RedeemAuthorizationCodeHandler> logger) : IRequestHandler<RedeemAuthorizationCode, ProtocolResult<TokenResponse>>
{
    private static readonly OAuthError InvalidCode = OAuthError.InvalidAuthorizationCode;

    public async Task<ProtocolResult<TokenResponse>> Handle(RedeemAuthorizationCode request, CancellationToken cancellationToken)
    {
        var authenticated = await authenticator.AuthenticateForTokenAsync(request.Credentials, request.RemoteAddress, GrantTypes.AuthorizationCode, cancellationToken);
        if (!authenticated.IsSuccess)
        {
            return authenticated.Error;
        }

        var client = authenticated.Value;

        if (string.IsNullOrEmpty(request.Code))
        {
            return OAuthError.MissingCode;
        }

        if (request.Code.Length != OpaqueToken.HashLength)
        {
            return InvalidCode;
        }

        var jkt = await senderConstraint.ProofKeyAsync(client, request.Credentials, request.DPoP, cancellationToken);
        if (!jkt.IsSuccess)
        {
            return jkt.Error;
        }

        var codeHash = OpaqueToken.HashOf(request.Code);
        return await ConflictRetry.RunAsync(ct => RedeemAsync(client, codeHash, request, jkt.Value, ct), cancellationToken);
    }

    /// <summary>
    /// One read-decide-write attempt. Losing the race to a concurrent redemption of the same code reruns it: the
    /// fresh read then finds the code redeemed, which is the replay.
    /// </summary>
    private async Task<(ProtocolResult<TokenResponse> Answer, SaveResult Save)> RedeemAsync(
        ClientSnapshot client, string codeHash, RedeemAuthorizationCode request, string? jkt, CancellationToken cancellationToken)
    {
        // docs/adr/0040: the code and its person in one read.
        if (await codes.FindWithUserAsync(codeHash, cancellationToken) is not var (code, user))
        {
            return (InvalidCode, SaveResult.Saved);
        }

        var now = clock.GetUtcNow();
        switch (code.Redeem(client.ClientId, request.CodeVerifier, request.RedirectUri, jkt, user, now))
        {
            case CodeRedemption.Redeemed:
                break;
            case CodeRedemption.Replayed:
                return (InvalidCode, await RevokeReplayedAsync(code, cancellationToken));
            case var refused:
                LogRefused(logger, client.ClientId, refused);
                return (InvalidCode, SaveResult.Saved);
        }

        // RFC 8707 §2.2: a resource of the grant, or all of them. Refused, nothing is saved: the code stays unredeemed.
        var audience = await tokens.AudienceAsync(client, request.Resource, code.Resources, code.Scopes, cancellationToken);
        if (!audience.IsSuccess)
        {
            return (audience.Error, SaveResult.Saved);
        }

        // docs/adr/0038: the tenant chosen at the authorization must still be the person's and active; else nothing is
        // saved and the code stays unredeemed, as for a refused resource.
        var tenant = await tenantClaims.ForGrantAsync(code.TenantId, code.UserId, code.Scopes, cancellationToken);
        if (tenant.HasEnded)
        {
            LogTenantEnded(logger, client.ClientId, code.UserId);
            return (OAuthError.TenantGrantEnded, SaveResult.Saved);
        }

        // The family's id comes first: the access token names the family it starts (docs/adr/0040).
        Guid? familyId = UserTokens.GrantsRefreshToken(client, code.Scopes) ? Guid.NewGuid() : null;
        var issued = tokens.Issue(client, user!, code.Scopes, audience.Value, new UserTokenContext(code.AuthTime, code.Nonce, code.SessionId, jkt)
        {
            Certificate = request.Credentials.Confirmation,
            AuthenticationMethods = code.AuthenticationMethods,
            Tenant = tenant,
            FamilyKey = familyId is { } id ? RefreshTokenFamily.KeyOf(id) : null,
        }, now);
        string? refreshToken = null;
        if (familyId is { } newFamilyId)
        {
            refreshToken = OpaqueToken.New();
            var (family, first) = RefreshTokenFamily.Start(newFamilyId, OpaqueToken.HashOf(refreshToken),
                new RefreshTokenGrant(client.ClientId, code.UserId, code.SessionId, code.Scopes, code.AuthTime, code.SecurityStamp)
                {
                    BoundCertificateThumbprint = UserTokens.RefreshBinding(client, request.Credentials),
                    BoundJkt = SenderConstraint.RefreshTokenBinding(client, jkt),
                    Resources = code.Resources,
                    AuthenticationMethods = code.AuthenticationMethods,
                    TenantId = code.TenantId,
                }, tokens.RefreshTokenLifetimes, now);
            family.RecordAccessToken(issued.AccessToken.ExpiresAt);
            families.Add(family, first);
        }

        code.RecordIssued(new IssuedFromCode(issued.AccessToken.JwtId, issued.AccessToken.ExpiresAt, familyId));
        var save = await unitOfWork.SaveChangesAsync(cancellationToken);
        return (save == SaveResult.Saved ? UserTokens.Response(issued, refreshToken) : InvalidCode, save);
    }

    /// <summary>
    /// Records the replay and revokes what the first redemption issued: its refresh token family and its access
    /// token. A concurrent replay that recorded it first wins the race; the rerun then finds it recorded and
    /// leaves the revocation to that one.
    /// </summary>
    private async Task<SaveResult> RevokeReplayedAsync(AuthorizationCode code, CancellationToken cancellationToken)
    {
        if (!code.RecordReplay(clock.GetUtcNow()))
        {
            return SaveResult.Saved;
        }

        var save = await unitOfWork.SaveChangesAsync(cancellationToken);
        if (save != SaveResult.Saved)
        {
            return save;
        }

        LogReplay(logger, code.ClientId, code.UserId);
        // Every access token issued from the family names it, the code's own first one included: ending it denies them all.
        if (code.RefreshTokenFamilyId is { } familyId)
        {
            await revocation.RevokeFamilyAsync(familyId, "code_replay", cancellationToken);
        }
        else
        {
            await revocation.DenyAccessTokenAsync(code.AccessTokenId, code.AccessTokenExpiresAt, code.ClientId, cancellationToken);
        }

        return SaveResult.Saved;
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Security event code_replay_detected: client {ClientId}, user {UserId}; tokens issued from the code revoked")]
    private static partial void LogReplay(ILogger logger, string clientId, Guid userId);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "Code redemption refused for client {ClientId}: user {UserId} is no longer in the code's tenant, or it is suspended")]
    private static partial void LogTenantEnded(ILogger logger, string clientId, Guid userId);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Code redemption refused for client {ClientId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string clientId, CodeRedemption reason);
}

using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Persistence;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.DeviceAuthorizations;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Users;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Tokens.Commands.RedeemDeviceCode;

/// <summary><c>grant_type=urn:ietf:params:oauth:grant-type:device_code</c> (RFC 8628 §3.4).</summary>
public sealed record RedeemDeviceCode(ClientCredentials Credentials, string? DeviceCode, string? RemoteAddress, DPoPPresentation? DPoP = null)
    : IRequest<ProtocolResult<TokenResponse>>
{
    /// <summary>The <c>resource</c> values of the token request (RFC 8707 §2.2), space-joined; null when none.</summary>
    public string? Resource { get; init; }

    public override string ToString() => $"RedeemDeviceCode {{ ClientId = {Credentials.ClientId} }}";
}

/// <summary>
/// A device's poll (RFC 8628 §3.4, §3.5). The client authenticates as at the token endpoint (a public client names
/// itself, §3.4) and must be registered for the grant. The aggregate decides the answer: <c>authorization_pending</c>,
/// <c>slow_down</c> (the interval grows by 5 s, stored), <c>access_denied</c>, <c>expired_token</c>, or tokens once; the
/// poll is saved in every case, so two polls racing on one code are serialized by its version and only one gets
/// tokens. The tokens are those of the code flow: an access token for the user (bound to a DPoP key when a proof
/// is sent), an ID token with <c>sid</c> and <c>auth_time</c> when <c>openid</c> was granted, a refresh token with
/// <c>offline_access</c>.
/// </summary>
public sealed partial class RedeemDeviceCodeHandler(
    ClientAuthenticator authenticator,
    SenderConstraint senderConstraint,
    IDeviceAuthorizationRepository authorizations,
    IRefreshTokenFamilyRepository families,
    IUserRepository users,
    UserTokens tokens,
    IUnitOfWork unitOfWork,
    TimeProvider clock,
    ILogger<RedeemDeviceCodeHandler> logger) : IRequestHandler<RedeemDeviceCode, ProtocolResult<TokenResponse>>
{
    public async Task<ProtocolResult<TokenResponse>> Handle(RedeemDeviceCode request, CancellationToken cancellationToken)
    {
        var authenticated = await authenticator.AuthenticateForTokenAsync(request.Credentials, request.RemoteAddress, GrantTypes.DeviceCode, cancellationToken);
        if (!authenticated.IsSuccess)
        {
            return authenticated.Error;
        }

        var client = authenticated.Value;
        if (string.IsNullOrEmpty(request.DeviceCode))
        {
            return OAuthError.MissingDeviceCode;
        }

        if (request.DeviceCode.Length != OpaqueToken.HashLength)
        {
            return OAuthError.InvalidDeviceCode;
        }

        var jkt = await senderConstraint.ProofKeyAsync(client, request.Credentials, request.DPoP, cancellationToken);
        if (!jkt.IsSuccess)
        {
            return jkt.Error;
        }

        var codeHash = OpaqueToken.HashOf(request.DeviceCode);
        return await ConflictRetry.RunAsync(ct => PollAsync(client, codeHash, request, jkt.Value, ct), cancellationToken);
    }

    /// <summary>One read-decide-write attempt; a poll that lost the race to another reruns and reads what the winner left.</summary>
    private async Task<(ProtocolResult<TokenResponse> Answer, SaveResult Save)> PollAsync(
        ClientSnapshot client, string codeHash, RedeemDeviceCode request, string? jkt, CancellationToken cancellationToken)
    {
        var authorization = await authorizations.FindAsync(codeHash, cancellationToken);
        if (authorization is null)
        {
            return (OAuthError.InvalidDeviceCode, SaveResult.Saved);
        }

        var now = clock.GetUtcNow();
        var user = authorization.UserId is { } userId ? await users.FindByIdAsync(userId, cancellationToken) : null;
        var poll = authorization.Poll(client.ClientId, user, now);
        OAuthError? refusal = poll switch
        {
            DevicePoll.Redeemed => null,
            DevicePoll.Pending => OAuthError.AuthorizationPending,
            DevicePoll.SlowDown => OAuthError.SlowDown,
            DevicePoll.Denied => OAuthError.DeviceAccessDenied,
            DevicePoll.Expired => OAuthError.ExpiredDeviceCode,
            _ => OAuthError.InvalidDeviceCode,
        };
        if (refusal is not null)
        {
            if (refusal == OAuthError.InvalidDeviceCode)
            {
                LogRefused(logger, client.ClientId, poll);
            }

            // The poll itself is recorded (the interval and the last poll time), and must win the race to count.
            var recorded = await unitOfWork.SaveChangesAsync(cancellationToken);
            return (refusal, recorded);
        }

        // RFC 8707 §2.2: a resource of the grant, or all of them. Refused, nothing is saved: the code stays unredeemed.
        var audience = await tokens.AudienceAsync(client, request.Resource, authorization.Resources, authorization.Scopes, cancellationToken);
        if (!audience.IsSuccess)
        {
            return (audience.Error, SaveResult.Saved);
        }

        var authTime = authorization.AuthTime!.Value;
        // The family's id comes first: the access token names the family it starts (docs/adr/0040).
        Guid? familyId = UserTokens.GrantsRefreshToken(client, authorization.Scopes) ? Guid.NewGuid() : null;
        var issued = tokens.Issue(client, user!, authorization.Scopes, audience.Value, new UserTokenContext(authTime, Nonce: null, authorization.SessionId, jkt)
        {
            Certificate = request.Credentials.Confirmation,
            AuthenticationMethods = authorization.AuthenticationMethods,
            FamilyKey = familyId is { } id ? RefreshTokenFamily.KeyOf(id) : null,
        }, now);
        string? refreshToken = null;
        if (familyId is { } newFamilyId)
        {
            refreshToken = OpaqueToken.New();
            var (family, first) = RefreshTokenFamily.Start(newFamilyId, OpaqueToken.HashOf(refreshToken),
                new RefreshTokenGrant(client.ClientId, user!.Id, authorization.SessionId, authorization.Scopes, authTime, authorization.SecurityStamp)
                {
                    BoundCertificateThumbprint = UserTokens.RefreshBinding(client, request.Credentials),
                    BoundJkt = SenderConstraint.RefreshTokenBinding(client, jkt),
                    Resources = authorization.Resources,
                    AuthenticationMethods = authorization.AuthenticationMethods,
                }, tokens.RefreshTokenLifetimes, now);
            family.RecordAccessToken(issued.AccessToken.ExpiresAt);
            families.Add(family, first);
        }

        var save = await unitOfWork.SaveChangesAsync(cancellationToken);
        return (save == SaveResult.Saved ? UserTokens.Response(issued, refreshToken) : OAuthError.InvalidDeviceCode, save);
    }

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "Device code poll refused for client {ClientId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string clientId, DevicePoll reason);
}

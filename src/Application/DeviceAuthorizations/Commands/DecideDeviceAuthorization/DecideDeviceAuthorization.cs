using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Persistence;
using AuthService.Domain.Common;
using MediatR;

namespace AuthService.Application.DeviceAuthorizations.Commands.DecideDeviceAuthorization;

/// <summary>The person's decision on the verification page (RFC 8628 §3.3), posted with the code and an anti-forgery token.</summary>
public sealed record DecideDeviceAuthorization(string? UserCode, bool Allow, string? SessionHandle, string? RemoteAddress) : IRequest<DevicePageOutcome>;

/// <summary>
/// Allows (when the session meets the client's second-factor policy, <see cref="DeviceVerification.RequireClientPolicyAsync"/>)
/// or denies the device authorization, once, in the signed-in session (its id and sign-in time go into the ID
/// token the device receives). The code is checked again as on the page; a decision racing another on the same code is
/// serialized by the aggregate's version, and the loser finds it decided (a failed code).
/// </summary>
public sealed class DecideDeviceAuthorizationHandler(
    DeviceVerification verification,
    IClientCatalog clients,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<DecideDeviceAuthorization, DevicePageOutcome>
{
    public async Task<DevicePageOutcome> Handle(DecideDeviceAuthorization request, CancellationToken cancellationToken) =>
        await ConflictRetry.RunAsync(ct => DecideAsync(request, ct), cancellationToken);

    private async Task<(DevicePageOutcome Answer, SaveResult Save)> DecideAsync(DecideDeviceAuthorization request, CancellationToken cancellationToken)
    {
        var session = await verification.SessionAsync(request.SessionHandle, cancellationToken);
        if (session is null)
        {
            return (new DevicePageOutcome.ShowLogin(request.UserCode, Username: null, Failed: false, RetryAfter: null), SaveResult.Saved);
        }

        var (authorization, refusal) = await verification.FindPendingAsync(request.UserCode, request.RemoteAddress, cancellationToken);
        if (authorization is null)
        {
            return (refusal!, SaveResult.Saved);
        }

        // The page checked the client's policy already; a posted "allow" is checked again (the form may be old, or forged
        // by the person themselves). Denying needs no second factor.
        if (request.Allow && await clients.FindAsync(authorization.ClientId, cancellationToken) is { } client
            && await verification.RequireClientPolicyAsync(session, client, authorization, request.UserCode, cancellationToken) is { } stepUpOrRefusal)
        {
            return (stepUpOrRefusal, await unitOfWork.SaveChangesAsync(cancellationToken));
        }

        var now = clock.GetUtcNow();
        var (user, sessionId, authTime) = (session.User, session.Session.Id, session.Session.AuthenticatedAt);
        var decided = request.Allow ? authorization.Approve(user, sessionId, authTime, now, session.Session.AuthenticationMethods) : authorization.Deny(user, sessionId, authTime, now);
        if (!decided)
        {
            return (new DevicePageOutcome.EnterCode(Failed: true, RetryAfter: null), SaveResult.Saved);
        }

        var save = await unitOfWork.SaveChangesAsync(cancellationToken);
        return (new DevicePageOutcome.Decided(request.Allow), save);
    }
}

using AuthService.Application.Authorization;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Common;
using AuthService.Domain.DeviceAuthorizations;
using AuthService.Domain.Resources;
using MediatR;

namespace AuthService.Application.DeviceAuthorizations.Queries.ViewDeviceAuthorization;

/// <summary>The verification page opened (RFC 8628 §3.3), with the code typed or from <c>verification_uri_complete</c> (§3.3.1).</summary>
public sealed record ViewDeviceAuthorization(string? UserCode, string? SessionHandle, string? RemoteAddress) : IRequest<DevicePageOutcome>;

/// <summary>
/// Sign-in first (the single sign-on session is reused), then the code, then the client's second-factor policy, then the
/// consent. Every device authorization is asked about: unlike the code flow, an earlier consent never approves a device
/// silently (RFC 8628 §5.4). As the authorization endpoint's GET does, opening the page may write: the step-up's pending
/// sign-in, or the denial for a person who cannot meet the client's policy (<see cref="DeviceVerification.RequireClientPolicyAsync"/>).
/// </summary>
public sealed class ViewDeviceAuthorizationHandler(
    DeviceVerification verification,
    IClientCatalog clients,
    IProtectedResourceRepository resources,
    IUnitOfWork unitOfWork) : IRequestHandler<ViewDeviceAuthorization, DevicePageOutcome>
{
    public async Task<DevicePageOutcome> Handle(ViewDeviceAuthorization request, CancellationToken cancellationToken)
    {
        var session = await verification.SessionAsync(request.SessionHandle, cancellationToken);
        if (session is null)
        {
            return new DevicePageOutcome.ShowLogin(request.UserCode, Username: null, Failed: false, RetryAfter: null);
        }

        var (authorization, refusal) = await verification.FindPendingAsync(request.UserCode, request.RemoteAddress, cancellationToken);
        if (authorization is null)
        {
            return refusal!;
        }

        // A client disabled since the request is treated as a code that no longer exists.
        var client = await clients.FindAsync(authorization.ClientId, cancellationToken);
        if (client is null)
        {
            return new DevicePageOutcome.EnterCode(Failed: true, RetryAfter: null);
        }

        if (await verification.RequireClientPolicyAsync(session, client, authorization, request.UserCode, cancellationToken) is { } stepUpOrRefusal)
        {
            // A lost race (the code decided meanwhile in another tab) leaves the other decision standing: ask for the code again.
            return await unitOfWork.SaveChangesAsync(cancellationToken) == SaveResult.Saved
                ? stepUpOrRefusal
                : new DevicePageOutcome.EnterCode(Failed: true, RetryAfter: null);
        }

        var named = authorization.Resources.Count == 0 ? [] : await resources.FindManyAsync(authorization.Resources, cancellationToken);
        IReadOnlyList<RequestedResource> shown = [.. authorization.Resources.Select(r =>
            new RequestedResource(r, named.FirstOrDefault(n => string.Equals(n.Resource, r, StringComparison.Ordinal))?.Name ?? r))];
        return new DevicePageOutcome.ShowConsent(new DeviceConsent(
            client, UserCode.Display(authorization.UserCode), authorization.Scopes, shown, session.User.Name ?? session.User.Username));
    }
}

using AuthService.Application.Authorization;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.DeviceAuthorizations;
using AuthService.Domain.Resources;
using MediatR;

namespace AuthService.Application.DeviceAuthorizations.Queries.ViewDeviceAuthorization;

/// <summary>The verification page opened (RFC 8628 §3.3), with the code typed or from <c>verification_uri_complete</c> (§3.3.1).</summary>
public sealed record ViewDeviceAuthorization(string? UserCode, string? SessionHandle, string? RemoteAddress) : IRequest<DevicePageOutcome>;

/// <summary>
/// Sign-in first (the single sign-on session is reused), then the code, then the consent. Every device authorization
/// is asked about: unlike the code flow, an earlier consent never approves a device silently (RFC 8628 §5.4).
/// </summary>
public sealed class ViewDeviceAuthorizationHandler(
    DeviceVerification verification,
    IClientCatalog clients,
    IProtectedResourceRepository resources) : IRequestHandler<ViewDeviceAuthorization, DevicePageOutcome>
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

        var named = authorization.Resources.Count == 0 ? [] : await resources.FindManyAsync(authorization.Resources, cancellationToken);
        IReadOnlyList<RequestedResource> shown = [.. authorization.Resources.Select(r =>
            new RequestedResource(r, named.FirstOrDefault(n => string.Equals(n.Resource, r, StringComparison.Ordinal))?.Name ?? r))];
        return new DevicePageOutcome.ShowConsent(new DeviceConsent(
            client, UserCode.Display(authorization.UserCode), authorization.Scopes, shown, session.User.Name ?? session.User.Username));
    }
}

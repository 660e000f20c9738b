using System.Text.Json.Serialization;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Persistence;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Resources;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.DeviceAuthorizations;
using MediatR;
using Microsoft.Extensions.Options;

namespace AuthService.Application.DeviceAuthorizations.Commands.RequestDeviceAuthorization;

/// <summary>A device authorization request (RFC 8628 §3.1): <c>scope</c> and <c>resource</c>, from an authenticated or public client.</summary>
public sealed record RequestDeviceAuthorization(ClientCredentials Credentials, string? Scope, string? Resource, string? RemoteAddress)
    : IRequest<ProtocolResult<DeviceAuthorizationResponse>>
{
    public override string ToString() => $"RequestDeviceAuthorization {{ ClientId = {Credentials.ClientId} }}";
}

/// <summary>RFC 8628 §3.2: the device authorization response.</summary>
public sealed record DeviceAuthorizationResponse(
    [property: JsonPropertyName("device_code")] string DeviceCode,
    [property: JsonPropertyName("user_code")] string UserCode,
    [property: JsonPropertyName("verification_uri")] string VerificationUri,
    [property: JsonPropertyName("verification_uri_complete")] string VerificationUriComplete,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("interval")] int Interval);

/// <summary>
/// RFC 8628 §3.1, §3.2: authenticates the client as the token endpoint does (a public client names itself with
/// <c>client_id</c>, §3.1), which must be registered for the device grant (else <c>unauthorized_client</c>), checks the
/// scope against the client's and the resources (RFC 8707) as the authorization endpoint does, and stores a new device
/// authorization under the hash of a fresh 256-bit device code, with a fresh user code. Two live authorizations never
/// share a user code: a collision fails the save on the unique index and the attempt is rerun with a new code.
/// </summary>
public sealed class RequestDeviceAuthorizationHandler(
    ClientAuthenticator authenticator,
    ResourceIndicators resources,
    IDeviceAuthorizationRepository authorizations,
    IUnitOfWork unitOfWork,
    IIssuerProvider issuer,
    IOptions<DeviceAuthorizationOptions> options,
    TimeProvider clock) : IRequestHandler<RequestDeviceAuthorization, ProtocolResult<DeviceAuthorizationResponse>>
{
    public async Task<ProtocolResult<DeviceAuthorizationResponse>> Handle(RequestDeviceAuthorization request, CancellationToken cancellationToken)
    {
        var authenticated = await authenticator.AuthenticateForGrantAsync(request.Credentials, request.RemoteAddress, GrantTypes.DeviceCode, cancellationToken);
        if (!authenticated.IsSuccess)
        {
            return authenticated.Error;
        }

        var client = authenticated.Value;
        var scopes = ScopeSet.Parse(request.Scope);
        if (!scopes.IsSuccess)
        {
            return scopes.Error;
        }

        // RFC 6749 §3.3 lets a server refuse a request without scope; as at the authorization endpoint, it is required.
        if (scopes.Value.Count == 0)
        {
            return OAuthError.MissingScope;
        }

        if (scopes.Value.Any(scope => !client.AllowedScopeSet.Contains(scope)))
        {
            return OAuthError.ScopeNotAllowed;
        }

        // docs/adr/0038: no tenant is chosen on the device page (no parameter, no picker), so the scope is not offered here.
        if (scopes.Value.Contains(ScopeRules.Tenant, StringComparer.Ordinal))
        {
            return OAuthError.TenantScopeNotOffered;
        }

        var requested = await resources.RequestedAsync(request.Resource, client, scopes.Value, cancellationToken);
        if (!requested.IsSuccess)
        {
            return requested.Error;
        }

        var settings = options.Value;
        var deviceCode = OpaqueToken.New();
        var userCode = await ConflictRetry.RunAsync(async ct =>
        {
            var candidate = UserCode.New();
            authorizations.Add(DeviceAuthorization.Issue(OpaqueToken.HashOf(deviceCode), candidate, client.ClientId, scopes.Value,
                [.. requested.Value.Select(r => r.Resource)], clock.GetUtcNow(), settings.Lifetime, settings.Interval));
            var save = await unitOfWork.SaveChangesAsync(ct);
            return (save == SaveResult.Saved ? candidate : null, save);
        }, cancellationToken);
        if (userCode is null)
        {
            return OAuthError.TemporarilyUnavailable;
        }

        // RFC 8628 §3.3.1: the complete URI carries the user code, so the person need not type it (a QR code, a link).
        var verificationUri = issuer.Url(ProtocolEndpoints.Device);
        return new DeviceAuthorizationResponse(deviceCode, UserCode.Display(userCode), verificationUri,
            verificationUri + "?user_code=" + UserCode.Display(userCode), (int)settings.Lifetime.TotalSeconds, (int)settings.Interval.TotalSeconds);
    }
}

using AuthService.Application.Common.Protocol;
using AuthService.Application.DeviceAuthorizations.Commands.RequestDeviceAuthorization;
using AuthService.WebApi.Protocol;
using MediatR;

namespace AuthService.WebApi.Endpoints.Protocol;

/// <summary>The device authorization endpoint (RFC 8628 §3.1): thin, like the PAR endpoint.</summary>
public static class DeviceAuthorizationEndpoint
{
    public static IEndpointRouteBuilder MapDeviceAuthorizationEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(ProtocolEndpoints.DeviceAuthorization, HandleAsync)
            .WithName("DeviceAuthorization").WithTags("Protocol")
            .WithSummary("Device authorization endpoint (RFC 8628 §3.1)")
            .WithDescription(
                "Form-encoded POST with `scope` (required) and optional `resource` (RFC 8707, repeatable), authenticated as at the token " +
                "endpoint (a public client sends its client_id). The client must be registered for the grant " +
                "urn:ietf:params:oauth:grant-type:device_code. Answers `device_code`, `user_code`, `verification_uri`, " +
                "`verification_uri_complete`, `expires_in` and `interval` (RFC 8628 §3.2); the device then polls the token endpoint. " +
                "Errors are RFC 6749 §5.2 JSON, as at the token endpoint: invalid_request, invalid_client (401 with WWW-Authenticate when Basic was used), unauthorized_client, invalid_scope, invalid_target.")
            .Produces<DeviceAuthorizationResponse>(StatusCodes.Status200OK, "application/json")
            .Produces<OAuthErrorBody>(StatusCodes.Status400BadRequest, "application/json")
            .Produces<OAuthErrorBody>(StatusCodes.Status401Unauthorized, "application/json")
            .DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var request = await BackChannelRequest.ReadAsync(http, cancellationToken);
        if (!request.IsSuccess)
        {
            return OAuthResults.Error(request.Error, http.Request);
        }

        var form = request.Value.Form;
        var result = await mediator.Send(new RequestDeviceAuthorization(
            request.Value.Credentials, form[OAuthParameters.Scope], form[OAuthParameters.Resource], request.Value.RemoteAddress), cancellationToken);
        // RFC 8628 §3.2: errors as at the token endpoint (RFC 6749 §5.2).
        return result.IsSuccess ? OAuthResults.DeviceAuthorization(result.Value) : OAuthResults.Error(result.Error, http.Request);
    }
}

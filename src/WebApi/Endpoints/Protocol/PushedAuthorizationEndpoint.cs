using AuthService.Application.Authorization.Commands.PushAuthorizationRequest;
using AuthService.Application.Common.Protocol;
using AuthService.WebApi.Protocol;
using MediatR;

namespace AuthService.WebApi.Endpoints.Protocol;

/// <summary>The pushed authorization request endpoint (RFC 9126 §2): thin, like the token endpoint.</summary>
public static class PushedAuthorizationEndpoint
{
    public static IEndpointRouteBuilder MapPushedAuthorizationEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(ProtocolEndpoints.PushedAuthorization, HandleAsync)
            .WithName("PushAuthorizationRequest").WithTags("Protocol")
            .WithSummary("Pushed authorization request endpoint (RFC 9126)")
            .WithDescription(
                "Form-encoded POST with the authorization request's parameters (or a signed `request` object, RFC 9101), authenticated " +
                "as at the token endpoint (a public client sends its client_id). Validated as the authorization endpoint would; answers 201 " +
                "with `request_uri` (single use, for this client) and `expires_in`. Then send the browser to the authorization endpoint " +
                "with only `client_id` and `request_uri`. A DPoP proof (header `DPoP`, htm POST, htu this URL) binds the code to its key as " +
                "`dpop_jkt` would (RFC 9449 §10.1); a `dpop_jkt` for another key is invalid_request, a bad proof invalid_dpop_proof. Errors are RFC 6749 §5.2 JSON: invalid_request, invalid_client (401), " +
                "invalid_request_object, invalid_scope, unauthorized_client, invalid_target (RFC 8707: `resource`, repeatable, must name registered resources).")
            .Produces<PushedAuthorizationResponse>(StatusCodes.Status201Created, "application/json")
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
            return Fail(http, request.Error);
        }

        var result = await mediator.Send(new PushAuthorizationRequest(
            request.Value.Credentials, request.Value.Form.Values, request.Value.RemoteAddress, DPoPHeaders.Read(http, ProtocolEndpoints.PushedAuthorization)), cancellationToken);
        return result.IsSuccess ? OAuthResults.PushedAuthorization(result.Value) : Fail(http, result.Error);
    }

    /// <summary>RFC 9126 §2.3: a failed client authentication is a 401 here, as at the token endpoint, with a challenge for Basic.</summary>
    private static IResult Fail(HttpContext http, OAuthError error) =>
        OAuthResults.Error(error, http.Request, alwaysChallenge: error.Code == OAuthErrorCodes.InvalidClient && error.RetryAfter is null);
}

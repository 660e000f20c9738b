using AuthService.Application.Common.Protocol;
using AuthService.Application.Revocation.Commands.RevokeToken;
using AuthService.WebApi.Protocol;
using MediatR;

namespace AuthService.WebApi.Endpoints.Protocol;

/// <summary>Token revocation (RFC 7009): thin, like the token endpoint.</summary>
public static class RevocationEndpoint
{
    public static IEndpointRouteBuilder MapRevocationEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(ProtocolEndpoints.Revocation, HandleAsync)
            .WithName("Revoke").WithTags("Protocol")
            .WithSummary("Token revocation (RFC 7009)")
            .WithDescription(
                "Form-encoded POST with `token` (and optionally `token_type_hint`), with client authentication. Revokes an access " +
                "token issued to the calling client: introspection reports it inactive until it expires. Unknown, malformed or expired " +
                "tokens also answer 200. A token of another client is refused with unauthorized_client.")
            .Produces(StatusCodes.Status200OK)
            .Produces<OAuthErrorBody>(StatusCodes.Status400BadRequest, "application/json")
            .Produces<OAuthErrorBody>(StatusCodes.Status401Unauthorized, "application/json")
            .Produces<OAuthErrorBody>(StatusCodes.Status503ServiceUnavailable, "application/json")
            .DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var read = await BackChannelRequest.ReadWithTokenAsync(http, cancellationToken);
        if (!read.IsSuccess)
        {
            return OAuthResults.Error(read.Error, http.Request);
        }

        var (request, token) = read.Value;
        var result = await mediator.Send(new RevokeToken(request.Credentials, token, request.RemoteAddress), cancellationToken);
        return result.IsSuccess ? OAuthResults.Empty() : OAuthResults.Error(result.Error, http.Request);
    }
}

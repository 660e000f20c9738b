using AuthService.Application.Common.Protocol;
using AuthService.Application.Introspection.Queries.IntrospectToken;
using AuthService.WebApi.Protocol;
using MediatR;

namespace AuthService.WebApi.Endpoints.Protocol;

/// <summary>Token introspection (RFC 7662): thin, like the token endpoint.</summary>
public static class IntrospectionEndpoint
{
    public static IEndpointRouteBuilder MapIntrospectionEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(ProtocolEndpoints.Introspection, HandleAsync)
            .WithName("Introspect").WithTags("Protocol")
            .WithSummary("Token introspection (RFC 7662)")
            .WithDescription(
                "Form-encoded POST with `token` (and optionally `token_type_hint`), authenticated as a confidential client " +
                "(client_secret_basic or client_secret_post). A client may introspect the tokens issued to it, and a resource server " +
                "those whose `aud` contains its client_id. Any other, invalid, expired or revoked token gives exactly {\"active\":false}.")
            .Produces<IntrospectionResponse>(StatusCodes.Status200OK, "application/json")
            .Produces<OAuthErrorBody>(StatusCodes.Status400BadRequest, "application/json")
            .Produces<OAuthErrorBody>(StatusCodes.Status401Unauthorized, "application/json")
            .DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var read = await BackChannelRequest.ReadWithTokenAsync(http, cancellationToken);
        if (!read.IsSuccess)
        {
            return Fail(http, read.Error);
        }

        var (request, token) = read.Value;
        var result = await mediator.Send(new IntrospectToken(request.Credentials, token, request.RemoteAddress), cancellationToken);
        return result.IsSuccess ? OAuthResults.Introspection(result.Value) : Fail(http, result.Error);
    }

    /// <summary>RFC 7662 §2.3: a failed client authentication is always a 401 with a challenge here.</summary>
    private static IResult Fail(HttpContext http, OAuthError error) => OAuthResults.Error(error, http.Request, alwaysChallenge: true);
}

using AuthService.Application.Common.Protocol;
using AuthService.Application.Introspection.Queries.IntrospectToken;
using AuthService.Application.Revocation.Commands.RevokeToken;
using AuthService.WebApi.Protocol;
using MediatR;

namespace AuthService.WebApi.Endpoints.Protocol;

/// <summary>Introspection (RFC 7662) and revocation (RFC 7009): thin, like the token endpoint.</summary>
public static class IntrospectionEndpoints
{
    public static IEndpointRouteBuilder MapIntrospectionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(ProtocolEndpoints.Introspection, IntrospectAsync)
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
        endpoints.MapPost(ProtocolEndpoints.Revocation, RevokeAsync)
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

    private static async Task<IResult> IntrospectAsync(HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var (request, token, failure) = await ReadTokenRequestAsync(http, cancellationToken, alwaysChallenge: true);
        if (request is null)
        {
            return failure!;
        }

        var result = await mediator.Send(new IntrospectToken(request.Credentials, token!, request.RemoteAddress), cancellationToken);
        return result.IsSuccess ? OAuthResults.Introspection(result.Value) : request.Fail(result.Error);
    }

    private static async Task<IResult> RevokeAsync(HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var (request, token, failure) = await ReadTokenRequestAsync(http, cancellationToken, alwaysChallenge: false);
        if (request is null)
        {
            return failure!;
        }

        var result = await mediator.Send(new RevokeToken(request.Credentials, token!, request.RemoteAddress), cancellationToken);
        return result.IsSuccess ? OAuthResults.Empty() : request.Fail(result.Error);
    }

    /// <summary>The back-channel request plus its required <c>token</c> parameter (RFC 7662 §2.1, RFC 7009 §2.1).</summary>
    private static async Task<(BackChannelRequest? Request, string? Token, IResult? Failure)> ReadTokenRequestAsync(
        HttpContext http, CancellationToken cancellationToken, bool alwaysChallenge)
    {
        var (request, failure) = await BackChannelRequest.ReadAsync(http, cancellationToken, alwaysChallenge);
        if (request is null)
        {
            return (null, null, failure);
        }

        return request.Form["token"] is { } token
            ? (request, token, null)
            : (null, null, request.Fail(OAuthError.InvalidRequest("The token parameter is required.")));
    }
}

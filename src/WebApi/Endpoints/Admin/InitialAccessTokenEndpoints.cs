using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Paging;
using AuthService.Application.Registration.Commands.IssueInitialAccessToken;
using AuthService.Application.Registration.Commands.RevokeInitialAccessToken;
using AuthService.Application.Registration.Common;
using AuthService.Application.Registration.Queries.ListInitialAccessTokens;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary>
/// <c>/admin/registration/initial-access-tokens</c>: issue, list and revoke the initial access tokens that the
/// registration endpoint asks for under <c>Auth:Registration:Policy=initial_access_token</c> (RFC 7591 §3).
/// </summary>
public static class InitialAccessTokenEndpoints
{
    /// <summary>The body of an issue request: lifetime in seconds (default 86400) and an optional number of registrations.</summary>
    public sealed record IssueBody(int? ExpiresIn = null, int? MaxUses = null);

    public static RouteGroupBuilder MapInitialAccessTokenEndpoints(this RouteGroupBuilder admin)
    {
        var tokens = admin.MapGroup("/registration/initial-access-tokens").WithTags("Registration");

        tokens.MapPost("/", IssueAsync)
            .WithName("IssueInitialAccessToken")
            .WithSummary("Issue an initial access token")
            .WithDescription("For `Authorization: Bearer` at /connect/register. `expires_in` in seconds (60 to 31536000, default 86400), `max_uses` (registrations, unlimited when absent). The token is returned once as `token` and stored only as a hash.")
            .Produces<IssuedInitialAccessTokenResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        tokens.MapGet("/", ListAsync)
            .WithName("ListInitialAccessTokens")
            .WithSummary("List initial access tokens")
            .WithDescription("Tokens not yet expired, newest first, with their uses; never the token. One page.")
            .Produces<Page<InitialAccessTokenResponse>>();

        tokens.MapPost("/{id}/revoke", RevokeAsync)
            .WithName("RevokeInitialAccessToken")
            .WithSummary("Revoke an initial access token")
            .WithDescription("It stops working at once; clients it registered stay.")
            .Produces<InitialAccessTokenResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return admin;
    }

    public static async Task<Created<IssuedInitialAccessTokenResponse>> IssueAsync(IMediator mediator, [FromBody] IssueBody? body, CancellationToken cancellationToken)
    {
        var issued = await mediator.Send(new IssueInitialAccessToken(body?.ExpiresIn, body?.MaxUses), cancellationToken);
        return TypedResults.Created($"{AdminApi.Prefix}/registration/initial-access-tokens/{issued.Id}", issued);
    }

    public static async Task<Ok<Page<InitialAccessTokenResponse>>> ListAsync(IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ListInitialAccessTokens(), cancellationToken));

    public static async Task<Ok<InitialAccessTokenResponse>> RevokeAsync(IMediator mediator, [FromRoute(Name = "id")] string id, CancellationToken cancellationToken)
    {
        var parsed = Guid.TryParse(id, out var value) ? value : throw new NotFoundException("Initial access token", id);
        return TypedResults.Ok(await mediator.Send(new RevokeInitialAccessToken(parsed), cancellationToken));
    }
}

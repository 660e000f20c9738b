using System.Text.Json.Nodes;
using AuthService.Application.Common.Paging;
using AuthService.Application.Consents;
using AuthService.Application.Consents.Commands.RevokeConsent;
using AuthService.Application.Consents.Queries.GetConsent;
using AuthService.Application.Consents.Queries.ListConsents;
using AuthService.WebApi.Admin;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary><c>/admin/consents</c>: what users allowed clients to do, listed (all, per user or per client), read and revoked.</summary>
public static class ConsentEndpoints
{
    private const string ConsentJson = """
        {
          "user_id": "a2dbfc35-4f2e-4c1b-9a57-0c1d2e3f4a5b", "client_id": "demo-web",
          "scopes": ["openid", "profile", "offline_access"],
          "granted_at": "2026-11-20T09:12:44.103Z", "updated_at": "2026-11-22T10:15:03.512Z"
        }
        """;

    private static readonly JsonNode ConsentExample = JsonNode.Parse(ConsentJson)!;

    private static readonly JsonNode PageExample = new JsonObject
    {
        ["items"] = new JsonArray(JsonNode.Parse(ConsentJson)),
        ["next_cursor"] = "YTJkYmZjMzUtNGYyZS00YzFiLTlhNTctMGMxZDJlM2Y0YTViL2RlbW8td2Vi.9s8f7d6e5c4b3a21",
    };

    public static RouteGroupBuilder MapConsentEndpoints(this RouteGroupBuilder admin)
    {
        var consents = admin.MapGroup("/consents").WithTags("Consents");

        consents.MapGet("/", ListConsentsAsync)
            .WithName("ListConsents")
            .WithSummary("List consents, optionally per user or per client")
            .WithDescription("All consents, or those of a user (`user_id`), to a client (`client_id`), or both; the filters are optional. Each lists the scopes granted. Ordered by user id then client id; page with `limit` (1-200, default 50) and the `next_cursor` of the previous page.")
            .Produces<Page<ConsentResponse>>()
            .ProducesValidationProblem()
            .WithResponseExample(PageExample);

        consents.MapGet("/{user_id}/{client_id}", GetConsentAsync)
            .WithName("GetConsent")
            .WithSummary("Read a user's consent to a client")
            .WithDescription("With an `ETag` that `If-Match` may name when revoking it.")
            .Produces<ConsentResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithResponseExample(ConsentExample);

        consents.MapDelete("/{user_id}/{client_id}", RevokeConsentAsync)
            .WithName("RevokeConsent")
            .WithSummary("Revoke a user's consent to a client")
            .WithDescription("Deletes the consent and revokes the user's refresh-token families for that client (their access tokens are denylisted with them): the client's refresh token fails with `invalid_grant`, and the user's next authorization of the client shows the consent page again. Recorded in the audit log as `consent.revoked`. 404 when the user has no consent to that client; 412 when `If-Match` names another version.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        return admin;
    }

    public static async Task<Ok<Page<ConsentResponse>>> ListConsentsAsync(
        IMediator mediator,
        [FromQuery(Name = "user_id")] string? userId,
        [FromQuery(Name = "client_id")] string? clientId,
        [FromQuery(Name = "cursor")] string? cursor,
        [FromQuery(Name = "limit")] int? limit,
        CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await mediator.Send(new ListConsents(userId, clientId, cursor, limit), cancellationToken));
    }

    public static async Task<Ok<ConsentResponse>> GetConsentAsync(
        HttpContext http,
        IMediator mediator,
        [FromRoute(Name = "user_id")] string userId,
        [FromRoute(Name = "client_id")] string clientId,
        CancellationToken cancellationToken)
    {
        var consent = await mediator.Send(new GetConsent(userId, clientId), cancellationToken);
        return AdminHttp.Ok(http, consent, consent.Version);
    }

    public static async Task<NoContent> RevokeConsentAsync(
        HttpContext http,
        IMediator mediator,
        [FromRoute(Name = "user_id")] string userId,
        [FromRoute(Name = "client_id")] string clientId,
        CancellationToken cancellationToken)
    {
        await mediator.Send(new RevokeConsent(userId, clientId, AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return TypedResults.NoContent();
    }
}

using System.Text.Json;
using AuthService.Application.Audit.Queries;
using AuthService.Application.Common.Paging;
using AuthService.WebApi.Admin;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary><c>/admin/audit-events</c>: the append-only audit log, queried with filters and paged, or exported as NDJSON.</summary>
public static class AuditEndpoints
{
    private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();

    private static readonly System.Text.Json.Nodes.JsonNode AuditPageExample = System.Text.Json.Nodes.JsonNode.Parse("""
        {
          "items": [
            {
              "id": 1042, "occurred_at": "2026-11-22T10:15:03.512Z", "event_type": "client.secret_rotated",
              "actor_type": "admin_client", "actor_id": "admin-cli", "subject_type": "client", "subject_id": "billing-api",
              "client_id": "billing-api", "source_address": "10.0.4.17",
              "details": { "secret_id": "0b6f6c1e-5b0e-4b7a-9d8e-2f4f1e9c2a10", "previous_secrets_expire_at": "2026-11-29T10:15:03.512Z" }
            },
            {
              "id": 1041, "occurred_at": "2026-11-22T10:14:58.004Z", "event_type": "user.sign_in_failed",
              "actor_type": "user", "actor_id": "a2dbfc35-4f2e-4c1b-9a57-0c1d2e3f4a5b", "subject_type": "user",
              "subject_id": "a2dbfc35-4f2e-4c1b-9a57-0c1d2e3f4a5b", "client_id": "demo-web", "source_address": "192.0.2.10",
              "details": { "reason": "wrong_password" }
            }
          ],
          "next_cursor": "MTA0MQ.3q2-7wAbCdEfGhIjKlMnOp"
        }
        """)!;

    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder admin)
    {
        var audit = admin.MapGroup("/audit-events").WithTags("Audit log");

        audit.MapGet("/", ListAuditEventsAsync)
            .WithName("ListAuditEvents")
            .WithSummary("Query the audit log")
            .WithDescription("Newest first. Filters combine with AND: `from` (inclusive) and `to` (exclusive) ISO-8601 timestamps, `event_type` (e.g. `user.sign_in_failed`), `actor` (the acting client or user id), `subject` (the affected user id, client id, key id, resource or external provider name), `client_id`. Page with `limit` (1-200, default 50) and the `next_cursor` of the previous page.")
            .Produces<Page<AuditEntryResponse>>()
            .ProducesValidationProblem()
            .WithResponseExample(AuditPageExample);

        audit.MapGet("/export", ExportAuditEventsAsync)
            .WithName("ExportAuditEvents")
            .WithSummary("Export the audit log as NDJSON")
            .WithDescription("Every matching entry, oldest first, one JSON object per line (`application/x-ndjson`), streamed. Same filters as the query, without paging.")
            .Produces<AuditEntryResponse>(StatusCodes.Status200OK, "application/x-ndjson")
            .ProducesValidationProblem();

        return admin;
    }

    public static async Task<Ok<Page<AuditEntryResponse>>> ListAuditEventsAsync(
        IMediator mediator,
        [AsParameters] AuditFilterParameters filter,
        [FromQuery(Name = "cursor")] string? cursor,
        [FromQuery(Name = "limit")] int? limit,
        CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await mediator.Send(
            new ListAuditEntries(filter.From, filter.To, filter.EventType, filter.Actor, filter.Subject, filter.ClientId, cursor, limit), cancellationToken));
    }

    public static async Task ExportAuditEventsAsync(
        HttpContext http,
        IMediator mediator,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions,
        [AsParameters] AuditFilterParameters filter,
        CancellationToken cancellationToken)
    {
        var entries = await mediator.Send(
            new ExportAuditEntries(filter.From, filter.To, filter.EventType, filter.Actor, filter.Subject, filter.ClientId), cancellationToken);
        http.Response.ContentType = "application/x-ndjson";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"audit-events.ndjson\"";
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            await JsonSerializer.SerializeAsync(http.Response.Body, entry, jsonOptions.Value.SerializerOptions, cancellationToken);
            await http.Response.Body.WriteAsync(NewLine, cancellationToken);
        }
    }
}

using AuthService.Application.Common.Paging;
using AuthService.Application.Logout.Queries;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary><c>/admin/logout-notifications</c>: the back-channel logout outbox (docs/adr/0031) and its delivery state.</summary>
public static class LogoutNotificationEndpoints
{
    public static RouteGroupBuilder MapLogoutNotificationEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGroup("/logout-notifications").WithTags("Logout notifications")
            .MapGet("/", ListLogoutNotificationsAsync)
            .WithName(nameof(ListLogoutNotificationsAsync))
            .WithSummary("List back-channel logout notifications")
            .WithDescription("The newest 200 notifications (optionally of one `client_id`), newest first: `status` is `pending`, `delivered` or `failed` (gave up after the configured attempts), with `attempts`, `next_attempt_at` and `last_error`. The logout token itself is never stored or shown. Not paged: `next_cursor` is always null.")
            .Produces<Page<LogoutNotificationResponse>>();
        return admin;
    }

    private static async Task<Ok<Page<LogoutNotificationResponse>>> ListLogoutNotificationsAsync(
        [FromQuery(Name = "client_id")] string? clientId, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ListLogoutNotifications(string.IsNullOrEmpty(clientId) ? null : clientId), cancellationToken));
}

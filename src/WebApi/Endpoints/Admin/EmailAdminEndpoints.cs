using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Paging;
using AuthService.Application.Email.Commands.SendUserEmailVerification;
using AuthService.Application.Email.Queries.ListOutgoingEmails;
using AuthService.Application.Users.Commands.ResendInvitation;
using AuthService.Application.Users.Commands.WithdrawInvitation;
using AuthService.WebApi.Admin;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary>
/// <c>/admin/emails</c>: the e-mail outbox (docs/adr/0033) and its delivery state; <c>POST /admin/users/{id}/email-verification</c>
/// sends a user a verification link; <c>/admin/users/{id}/invitation</c> re-sends or withdraws an invitation (docs/adr/0036).
/// </summary>
public static class EmailAdminEndpoints
{
    public static RouteGroupBuilder MapEmailAdminEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGroup("/emails").WithTags("E-mail")
            .MapGet("/", ListOutgoingEmailsAsync)
            .WithName(nameof(ListOutgoingEmailsAsync))
            .WithSummary("List outgoing e-mail")
            .WithDescription("The newest 200 messages (optionally of one `user_id`), newest first: recipient, subject, `purpose` (`email_verification`, `password_reset`, `password_reset_no_account`), `status` `pending`, `delivered` or `failed` (gave up after the configured attempts), with `attempts`, `next_attempt_at` and `last_error`. The bodies are never shown: they hold single-use links, and are deleted once a message is delivered or given up; the delivered and given-up messages themselves are deleted by the clean-up job once older than `Auth:Outbox:Retention` (7 days by default). Not paged: `next_cursor` is always null.")
            .Produces<Page<OutgoingEmailResponse>>()
            .ProducesValidationProblem();

        var users = admin.MapGroup("/users").WithTags("Users");
        users.MapPost("/{id}/email-verification", SendEmailVerificationAsync)
            .WithName("SendUserEmailVerification")
            .WithSummary("Send a user an e-mail verification link")
            .WithDescription("Writes a message with a single-use link (valid for `Auth:Email:VerificationLifetime`, 24 h by default) to the user's address into the outbox: 202. 400 when the user has no address or it is verified already; 404 for an unknown user.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPost("/{id}/invitation", ResendInvitationAsync)
            .WithName("ResendInvitation")
            .WithSummary("Send an invitation again")
            .WithDescription("For a user without a password (invited, not yet accepted): writes a new invitation link (7 days, single use) to the user's address into the outbox and revokes every earlier invitation link of the user, in one save: 202. Only the newest link works. No body. `If-Match` is optional (412 when stale). 409 when the user has a password (the invitation was accepted) or is disabled; 400 when the user has no address; 404 for an unknown user. Audited as `user.invitation_resent`.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        users.MapDelete("/{id}/invitation", WithdrawInvitationAsync)
            .WithName("WithdrawInvitation")
            .WithSummary("Withdraw an invitation")
            .WithDescription("For a user without a password (invited, not yet accepted): revokes the open invitation links and deletes the user, as `DELETE /admin/users/{id}` does, so the username and address are free again: 204. `If-Match` is optional (412 when stale). 409 when the user has a password (the invitation was accepted: delete the user instead); 404 for an unknown user. Audited as `user.invitation_withdrawn` and `user.deleted`.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return admin;
    }

    private static async Task<Ok<Page<OutgoingEmailResponse>>> ListOutgoingEmailsAsync(
        [FromQuery(Name = "user_id")] string? userId, IMediator mediator, CancellationToken cancellationToken)
    {
        Guid? user = null;
        if (!string.IsNullOrEmpty(userId))
        {
            user = Guid.TryParse(userId, out var id) ? id : throw RequestValidationException.For("user_id", "user_id must be a user's id.");
        }

        return TypedResults.Ok(await mediator.Send(new ListOutgoingEmails(user), cancellationToken));
    }

    private static async Task<Accepted> SendEmailVerificationAsync(string id, IMediator mediator, CancellationToken cancellationToken)
    {
        await mediator.Send(new SendUserEmailVerification(UserId(id)), cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Accepted> ResendInvitationAsync(HttpContext http, string id, IMediator mediator, CancellationToken cancellationToken)
    {
        await mediator.Send(new ResendInvitation(UserId(id), AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<NoContent> WithdrawInvitationAsync(HttpContext http, string id, IMediator mediator, CancellationToken cancellationToken)
    {
        await mediator.Send(new WithdrawInvitation(UserId(id), AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>An id that is not a GUID names no user: 404, as an unknown one does.</summary>
    private static Guid UserId(string id) => Guid.TryParse(id, out var value) ? value : throw new NotFoundException("user", id.Length > 64 ? id[..64] : id);
}

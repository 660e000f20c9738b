using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Paging;
using AuthService.Application.Email.Commands.SendUserEmailVerification;
using AuthService.Application.Email.Queries.ListOutgoingEmails;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary>
/// <c>/admin/emails</c>: the e-mail outbox (docs/adr/0033) and its delivery state; <c>POST /admin/users/{id}/email-verification</c>
/// sends a user a verification link.
/// </summary>
public static class EmailAdminEndpoints
{
    public static RouteGroupBuilder MapEmailAdminEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGroup("/emails").WithTags("E-mail")
            .MapGet("/", ListOutgoingEmailsAsync)
            .WithName(nameof(ListOutgoingEmailsAsync))
            .WithSummary("List outgoing e-mail")
            .WithDescription("The newest 200 messages (optionally of one `user_id`), newest first: recipient, subject, `purpose` (`email_verification`, `password_reset`, `password_reset_no_account`), `status` `pending`, `delivered` or `failed` (gave up after the configured attempts), with `attempts`, `next_attempt_at` and `last_error`. The bodies are never shown: they hold single-use links, and are deleted once a message is delivered or given up. Not paged: `next_cursor` is always null.")
            .Produces<Page<OutgoingEmailResponse>>()
            .ProducesValidationProblem();

        admin.MapGroup("/users").WithTags("Users")
            .MapPost("/{id}/email-verification", SendEmailVerificationAsync)
            .WithName("SendUserEmailVerification")
            .WithSummary("Send a user an e-mail verification link")
            .WithDescription("Writes a message with a single-use link (valid for `Auth:Email:VerificationLifetime`, 24 h by default) to the user's address into the outbox: 202. 400 when the user has no address or it is verified already; 404 for an unknown user.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
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
        var userId = Guid.TryParse(id, out var value) ? value : throw new NotFoundException("user", id.Length > 64 ? id[..64] : id);
        await mediator.Send(new SendUserEmailVerification(userId), cancellationToken);
        return TypedResults.Accepted((string?)null);
    }
}

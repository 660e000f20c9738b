using AuthService.Application.Common.Paging;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using MediatR;

namespace AuthService.Application.Email.Queries.ListOutgoingEmails;

/// <summary>An outgoing e-mail for the admin API: to whom, what for, its delivery state and last error; never its bodies (they hold a single-use link).</summary>
public sealed record OutgoingEmailResponse(
    Guid Id,
    string Recipient,
    string Subject,
    string Purpose,
    Guid? UserId,
    string Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    string? LastError)
{
    public static OutgoingEmailResponse From(OutgoingEmail e) => new(
        e.Id, e.Recipient, e.Subject, e.Purpose, e.UserId, e.Status.ToString().ToLowerInvariant(), e.Attempts, e.CreatedAt.ToUniversalTime(),
        e.Status == OutboxStatus.Pending ? e.NextAttemptAt.ToUniversalTime() : null, e.DeliveredAt?.ToUniversalTime(), e.LastError);
}

/// <summary>The newest <see cref="MaxItems"/> messages, optionally of one user; one page.</summary>
public sealed record ListOutgoingEmails(Guid? UserId) : IRequest<Page<OutgoingEmailResponse>>
{
    public const int MaxItems = 200;
}

public sealed class ListOutgoingEmailsHandler(IOutgoingEmailRepository emails) : IRequestHandler<ListOutgoingEmails, Page<OutgoingEmailResponse>>
{
    public async Task<Page<OutgoingEmailResponse>> Handle(ListOutgoingEmails request, CancellationToken cancellationToken) =>
        new([.. (await emails.ListAsync(request.UserId, ListOutgoingEmails.MaxItems, cancellationToken)).Select(OutgoingEmailResponse.From)], NextCursor: null);
}

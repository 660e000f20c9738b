using AuthService.Application.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.LogoutNotifications;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Outbox.Commands.PurgeSettledOutbox;

/// <summary>
/// Deletes outbox rows (outgoing e-mail, links asked for by address, back-channel logout notifications, webhook deliveries) that were
/// delivered (handled) or given up and were written longer ago than <c>Auth:Outbox:Retention</c>. Their bodies are gone
/// already (cleared on settlement); what is left is the delivery record the admin views show, and who asked for a link
/// from where, neither of which need grow for ever. In batches.
/// </summary>
public sealed record PurgeSettledOutbox(int BatchSize = 1000) : IRequest<int>;

/// <summary>
/// Pending rows are never touched, whatever their age: the condition is part of each DELETE, so a message that is still
/// being retried is delivered or given up first, and only then ages out.
/// </summary>
public sealed partial class PurgeSettledOutboxHandler(
    IOutgoingEmailRepository emails,
    IEmailRequestRepository emailRequests,
    ILogoutNotificationRepository logoutNotifications,
    Domain.Webhooks.IWebhookDeliveryRepository webhookDeliveries,
    IOptions<OutboxRetentionOptions> options,
    TimeProvider clock,
    ILogger<PurgeSettledOutboxHandler> logger) : IRequestHandler<PurgeSettledOutbox, int>
{
    public async Task<int> Handle(PurgeSettledOutbox request, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - options.Value.Retention;
        var emailsDeleted = await PurgeAsync(emails, cutoff, request.BatchSize, cancellationToken);
        var requestsDeleted = await PurgeAsync(emailRequests, cutoff, request.BatchSize, cancellationToken);
        var notificationsDeleted = await PurgeAsync(logoutNotifications, cutoff, request.BatchSize, cancellationToken);
        var deliveriesDeleted = await PurgeAsync(webhookDeliveries, cutoff, request.BatchSize, cancellationToken);
        if (emailsDeleted + requestsDeleted + notificationsDeleted + deliveriesDeleted > 0)
        {
            LogPurged(logger, emailsDeleted, requestsDeleted, notificationsDeleted, deliveriesDeleted);
        }

        return emailsDeleted + requestsDeleted + notificationsDeleted + deliveriesDeleted;
    }

    private static Task<int> PurgeAsync<TMessage>(IOutbox<TMessage> outbox, DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
        where TMessage : OutboxMessage =>
        Batches.DeleteAllAsync(batch => outbox.DeleteSettledAsync(cutoff, batch, cancellationToken), batchSize, cancellationToken);

    [LoggerMessage(EventId = 3211, Level = LogLevel.Information, Message = "Purged {Emails} settled outgoing e-mails, {Requests} handled e-mail requests, {Notifications} settled logout notifications, {Deliveries} settled webhook deliveries")]
    private static partial void LogPurged(ILogger logger, int emails, int requests, int notifications, int deliveries);
}

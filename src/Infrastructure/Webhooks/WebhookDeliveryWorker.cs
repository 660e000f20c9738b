using System.Diagnostics;
using System.Globalization;
using System.Text;
using AuthService.Application.Webhooks.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Webhooks;
using AuthService.Infrastructure.Outbox;
using AuthService.Infrastructure.Security.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Webhooks;

/// <summary>
/// Delivers the webhook outbox (docs/adr/0039 "Delivery") under the shared <see cref="OutboxWorker{TMessage}"/> leasing (two
/// replicas never send one delivery at the same moment; a crash leaves it to be sent again when the lease ran out): a
/// Standard Webhooks signed POST through the <see cref="HardenedFetcher"/>, any 2xx accepted, anything else retried on
/// <see cref="WebhookOptions.Schedule"/> with jitter. The order per subject is the repository's claim condition.
/// </summary>
internal sealed partial class WebhookDeliveryWorker(
    IServiceScopeFactory scopes,
    HardenedFetcher fetcher,
    IWebhookSecrets secrets,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDeliveryWorker> logger) : OutboxWorker<WebhookDelivery>(scopes, clock)
{
    /// <summary>The error of a delivery whose subscription is disabled or gone: given up at once, never retried.</summary>
    private const string SubscriptionOff = "the webhook is disabled or deleted";

    protected override OutboxOptions Settings => options.Value;

    protected override async Task<string?> SendAsync(WebhookDelivery delivery, IServiceProvider services, CancellationToken cancellationToken)
    {
        var subscription = await services.GetRequiredService<IWebhookSubscriptionRepository>().FindAsync(delivery.SubscriptionId, cancellationToken);
        if (subscription is not { Enabled: true })
        {
            return SubscriptionOff;
        }

        var now = Clock.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        var valid = new List<string> { secrets.Unprotect(subscription.Id, subscription.ProtectedSecret) };
        if (subscription.PreviousSecretAt(now) is { } previous)
        {
            valid.Add(secrets.Unprotect(subscription.Id, previous));
        }

        // Standard Webhooks "Sending": the three headers; the body exactly as signed.
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["webhook-id"] = delivery.EventId,
            ["webhook-timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture),
            ["webhook-signature"] = WebhookSignature.Header(valid, delivery.EventId, timestamp, delivery.Payload),
        };
        using var content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json");
        var started = Stopwatch.GetTimestamp();
        var result = await fetcher.PostAsync(new Uri(subscription.Url), content, headers, options.Value.RequestTimeout, WebhookOptions.ExcerptBytes, cancellationToken);
        var duration = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        delivery.LogAttempt(new WebhookAttempt(now, result.StatusCode, result.Failure, duration, result.Excerpt));
        return result switch
        {
            { StatusCode: >= 200 and < 300 } => null,
            { StatusCode: { } status } => $"the receiver answered {status}",
            _ => result.FailureText,
        };
    }

    protected override void RecordFailure(WebhookDelivery delivery, string error, DateTimeOffset now) =>
        delivery.RecordFailure(error, error == SubscriptionOff ? null : options.Value.RetryAfter(delivery.Attempts + 1, Random.Shared), now);

    /// <summary>
    /// docs/adr/0039 "Disabling": an attempt failed on a delivery that has been failing for <see cref="WebhookOptions.DisableAfter"/>
    /// (it is pending, so every attempt since its creation failed) and nothing was delivered to the subscription in that time.
    /// </summary>
    protected override async Task AfterAttemptAsync(WebhookDelivery delivery, IServiceProvider services, CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var since = now - options.Value.DisableAfter;
        if (delivery.Status == OutboxStatus.Delivered || delivery.LastError == SubscriptionOff || delivery.CreatedAt > since
            || await services.GetRequiredService<IWebhookDeliveryRepository>().AnyDeliveredSinceAsync(delivery.SubscriptionId, since, cancellationToken))
        {
            return;
        }

        if (await services.GetRequiredService<IWebhookSubscriptionRepository>().FindAsync(delivery.SubscriptionId, cancellationToken) is { } subscription
            && subscription.DisableForFailures(now))
        {
            LogDisabled(logger, subscription.Id);
        }
    }

    protected override void LogDelivered(WebhookDelivery delivery) => LogDelivered(logger, delivery.Id, delivery.EventType, delivery.SubscriptionId);

    protected override void LogFailed(WebhookDelivery delivery, string error) =>
        LogFailed(logger, delivery.Id, delivery.SubscriptionId, delivery.Attempts, error);

    protected override void LogPassFailed(Exception exception) => LogPassFailed(logger, exception);

    [LoggerMessage(EventId = 3901, Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} ({EventType}) delivered to subscription {SubscriptionId}")]
    private static partial void LogDelivered(ILogger logger, Guid deliveryId, string eventType, Guid subscriptionId);

    [LoggerMessage(EventId = 3902, Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to subscription {SubscriptionId} failed (attempt {Attempts}): {Error}")]
    private static partial void LogFailed(ILogger logger, Guid deliveryId, Guid subscriptionId, int attempts, string error);

    [LoggerMessage(EventId = 3903, Level = LogLevel.Error, Message = "Webhook delivery pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3904, Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId} disabled: its deliveries kept failing")]
    private static partial void LogDisabled(ILogger logger, Guid subscriptionId);
}

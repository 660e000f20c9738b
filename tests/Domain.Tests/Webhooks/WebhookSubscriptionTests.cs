using AuthService.Domain.Common;
using AuthService.Domain.Webhooks;
using AuthService.Domain.Webhooks.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Webhooks;

/// <summary>Webhook subscriptions: what they match, their settings' rules, rotation with a grace period, disabling; and the delivery's attempt log and replay.</summary>
public class WebhookSubscriptionTests
{
    private static readonly byte[] Secret = [1, 2, 3];

    private static WebhookSubscription Subscribe(string[]? types = null, string? tenant = null, bool enabled = true) =>
        WebhookSubscription.Create(Guid.NewGuid(), new WebhookSettings("https://hooks.example/x", types ?? [], tenant, null, enabled), Secret, Now);

    [Fact]
    public void A_subscription_without_types_matches_every_event_and_one_with_types_only_those()
    {
        Assert.True(Subscribe().Matches("tenant.created", "acme"));
        Assert.True(Subscribe().Matches("user.created", null));
        var some = Subscribe(["user.created"]);
        Assert.True(some.Matches("user.created", null));
        Assert.False(some.Matches("user.deleted", null));
    }

    [Fact]
    public void A_tenant_filter_matches_only_that_tenants_events_and_no_event_without_a_tenant()
    {
        var acme = Subscribe(tenant: "acme");
        Assert.True(acme.Matches("tenant.member.added", "acme"));
        Assert.False(acme.Matches("tenant.member.added", "globex"));
        Assert.False(acme.Matches("user.created", null));
    }

    [Fact]
    public void A_tenant_filter_matches_no_platform_event_even_one_that_carried_the_tenant()
    {
        var acme = Subscribe(tenant: "acme");
        Assert.False(acme.Matches("user.created", "acme"));
        Assert.False(acme.Matches("client.created", "acme"));
        Assert.True(acme.Matches("tenant.invite.accepted", "acme"));
    }

    [Fact]
    public void A_tenant_filter_lists_only_tenant_events()
    {
        var error = Assert.Throws<DomainRuleViolationException>(() => Subscribe(["tenant.member.added", "user.created"], "acme"));
        Assert.Equal("event_types", error.Field);
        Assert.Equal(["tenant.created", "tenant.member.added"], Subscribe(["tenant.member.added", "tenant.created"], "acme").EventTypes);
        var platform = Subscribe(["user.created"]);
        Assert.Equal("event_types", Assert.Throws<DomainRuleViolationException>(() =>
            platform.Update(new WebhookSettings("https://hooks.example/x", ["user.created"], "acme", null, true), Now)).Field);
    }

    [Fact]
    public void Changes_of_a_tenant_filtered_subscription_carry_its_tenant()
    {
        var subscription = Subscribe(["tenant.created"], "acme");
        subscription.RotateSecret([9], TimeSpan.FromHours(1), Now);
        subscription.MarkDeleted(Now);
        Assert.All(subscription.DomainEvents.OfType<WebhookSubscriptionChanged>(), e => Assert.Equal("acme", e.Tenant));
        Assert.Equal(3, subscription.DomainEvents.Count);
    }

    [Fact]
    public void A_disabled_subscription_matches_nothing()
    {
        Assert.False(Subscribe(enabled: false).Matches("user.created", null));
    }

    [Theory]
    [InlineData("http://hooks.example/x", "url")]
    [InlineData("https://hooks.example/x#f", "url")]
    [InlineData("relative/path", "url")]
    public void Urls_the_server_would_not_call_are_refused(string url, string field)
    {
        var error = Assert.Throws<DomainRuleViolationException>(() =>
            WebhookSubscription.Create(Guid.NewGuid(), new WebhookSettings(url, [], null, null, true), Secret, Now));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Unknown_event_types_and_bad_tenant_slugs_are_refused()
    {
        Assert.Equal("event_types", Assert.Throws<DomainRuleViolationException>(() => Subscribe(["user.exploded"])).Field);
        Assert.Equal("tenant", Assert.Throws<DomainRuleViolationException>(() => Subscribe(tenant: "Acme Corp")).Field);
    }

    [Fact]
    public void Event_types_are_deduplicated_and_sorted_and_an_unchanged_update_raises_nothing()
    {
        var subscription = Subscribe(["user.deleted", "user.created", "user.created"]);
        Assert.Equal(["user.created", "user.deleted"], subscription.EventTypes);
        subscription.ClearDomainEvents();
        Assert.False(subscription.Update(new WebhookSettings("https://hooks.example/x", ["user.created", "user.deleted"], null, null, true), Now));
        Assert.Empty(subscription.DomainEvents);
    }

    [Fact]
    public void The_previous_secret_is_valid_only_during_the_grace_period()
    {
        var subscription = Subscribe();
        subscription.RotateSecret([9, 9], TimeSpan.FromHours(1), Now);

        Assert.Equal([9, 9], subscription.ProtectedSecret);
        Assert.Equal(Secret, subscription.PreviousSecretAt(Now.AddMinutes(59)));
        Assert.Null(subscription.PreviousSecretAt(Now.AddHours(1)));
    }

    [Fact]
    public void Disabling_for_failures_happens_once_with_its_event_and_an_update_enables_again()
    {
        var subscription = Subscribe();
        subscription.ClearDomainEvents();

        Assert.True(subscription.DisableForFailures(Now));
        Assert.False(subscription.DisableForFailures(Now));
        var disabled = Assert.Single(subscription.DomainEvents.OfType<WebhookSubscriptionChanged>());
        Assert.Equal(("disabled", WebhookSubscription.DisabledForFailures), (disabled.Change, disabled.Reason));
        Assert.Equal(WebhookSubscription.DisabledForFailures, subscription.DisabledReason);

        Assert.True(subscription.Update(new WebhookSettings("https://hooks.example/x", [], null, null, true), Now));
        Assert.True(subscription.Enabled);
        Assert.Null(subscription.DisabledReason);
    }

    [Fact]
    public void A_replay_is_a_new_pending_delivery_of_the_same_event()
    {
        var delivery = WebhookDelivery.Create(Guid.NewGuid(), Guid.NewGuid(), "msg_1", "user.created", "user:1", 0, "{}", Now);
        delivery.MarkDelivered(Now);

        var replay = delivery.Replay(Guid.NewGuid(), Now.AddHours(1));

        Assert.Equal(OutboxStatus.Pending, replay.Status);
        Assert.Equal((delivery.EventId, delivery.Payload, delivery.SubjectKey, delivery.Id), (replay.EventId, replay.Payload, replay.SubjectKey, replay.ReplayOf!.Value));
    }

    [Fact]
    public void The_attempt_log_keeps_the_newest_attempts_and_bounds_the_excerpt()
    {
        var delivery = WebhookDelivery.Create(Guid.NewGuid(), Guid.NewGuid(), "msg_1", "user.created", "user:1", 0, "{}", Now);
        for (var i = 0; i < WebhookDelivery.MaxLoggedAttempts + 5; i++)
        {
            delivery.LogAttempt(new WebhookAttempt(Now.AddSeconds(i), 503, null, 1, new string('x', 1000)));
        }

        Assert.Equal(WebhookDelivery.MaxLoggedAttempts, delivery.AttemptLog.Count);
        Assert.Equal(Now.AddSeconds(WebhookDelivery.MaxLoggedAttempts + 4), delivery.AttemptLog[^1].At);
        Assert.All(delivery.AttemptLog, a => Assert.Equal(WebhookDelivery.MaxExcerptLength, a.Excerpt!.Length));
    }

    [Fact]
    public void A_failure_with_no_retry_left_gives_the_delivery_up()
    {
        var delivery = WebhookDelivery.Create(Guid.NewGuid(), Guid.NewGuid(), "msg_1", "user.created", "user:1", 0, "{}", Now);
        delivery.RecordFailure("the receiver answered 503", TimeSpan.FromMinutes(5), Now);
        Assert.Equal((OutboxStatus.Pending, Now.AddMinutes(5)), (delivery.Status, delivery.NextAttemptAt));

        delivery.RecordFailure("the receiver answered 503", retryAfter: null, Now);
        Assert.Equal(OutboxStatus.Failed, delivery.Status);
    }
}

using System.Text.Json;
using AuthService.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("webhook_subscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Url).HasMaxLength(WebhookSubscription.MaxUrlLength).IsRequired();
        builder.Property(s => s.Tenant).HasMaxLength(WebhookSubscription.MaxTenantLength);
        builder.Property(s => s.Description).HasMaxLength(WebhookSubscription.MaxDescriptionLength);
        builder.Property(s => s.DisabledReason).HasMaxLength(16);
        builder.Property(s => s.ProtectedSecret).IsRequired();
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Ignore(s => s.DomainEvents);
        builder.Ignore(s => s.EventTypes);
        builder.MapStringList("_eventTypes", "event_types");

        // The fan-out reads the enabled ones on every save that publishes an event.
        builder.HasIndex(s => s.Enabled);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    private static readonly ValueComparer<List<WebhookAttempt>> AttemptsComparer = new(
        (a, b) => a!.SequenceEqual(b!),
        v => v.Aggregate(0, (hash, attempt) => HashCode.Combine(hash, attempt.GetHashCode())),
        v => v.ToList());

    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ConfigureOutbox("webhook_deliveries");
        builder.Property(d => d.EventId).HasMaxLength(WebhookDelivery.MaxEventIdLength).IsRequired();
        builder.Property(d => d.EventType).HasMaxLength(64).IsRequired();
        builder.Property(d => d.SubjectKey).HasMaxLength(WebhookDelivery.MaxSubjectKeyLength).IsRequired();
        builder.Property(d => d.Payload).IsRequired();
        builder.Ignore(d => d.AttemptLog);
        builder.Property<List<WebhookAttempt>>("_attemptLog")
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasColumnName("attempt_log")
            .HasConversion(
                v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
                v => JsonSerializer.Deserialize<List<WebhookAttempt>>(v, (JsonSerializerOptions?)null) ?? new List<WebhookAttempt>(),
                AttemptsComparer)
            .IsRequired();
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);

        // The order rule's lookup (an earlier pending delivery of the same subscription and subject) and the admin list.
        builder.HasIndex(d => new { d.SubscriptionId, d.SubjectKey, d.Status });
        builder.HasIndex(d => new { d.SubscriptionId, d.CreatedAt, d.Ordinal });
    }
}

using AuthService.Domain.Common;
using AuthService.Domain.Clients;
using AuthService.Domain.LogoutNotifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class LogoutNotificationConfiguration : IEntityTypeConfiguration<LogoutNotification>
{
    public void Configure(EntityTypeBuilder<LogoutNotification> builder)
    {
        builder.ToTable("logout_notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.ClientId).HasMaxLength(Client.MaxClientIdLength).IsRequired();
        builder.Property(n => n.Subject).HasMaxLength(64).IsRequired();
        builder.Property(n => n.BackchannelLogoutUri).HasMaxLength(ClientKeySetRules.MaxUriLength).IsRequired();
        builder.Property(n => n.Reason).HasMaxLength(32).IsRequired();
        builder.Property(n => n.Status).HasConversion<int>();
        builder.Property(n => n.LastError).HasMaxLength(OutboxMessage.MaxErrorLength);
        builder.Property(n => n.Version).IsConcurrencyToken();
        builder.Ignore(n => n.DomainEvents);

        // What the worker selects on: due pending rows.
        builder.HasIndex(n => new { n.Status, n.NextAttemptAt });

        // What the retention purge walks, oldest first (docs/adr/0033, "Retention").
        builder.HasIndex(n => n.CreatedAt);
        builder.HasIndex(n => new { n.ClientId, n.CreatedAt });
    }
}

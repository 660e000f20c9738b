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
        builder.ConfigureOutbox("logout_notifications");
        builder.Property(n => n.ClientId).HasMaxLength(Client.MaxClientIdLength).IsRequired();
        builder.Property(n => n.Subject).HasMaxLength(64).IsRequired();
        builder.Property(n => n.BackchannelLogoutUri).HasMaxLength(ClientKeySetRules.MaxUriLength).IsRequired();
        builder.Property(n => n.Reason).HasMaxLength(32).IsRequired();
        builder.HasIndex(n => new { n.ClientId, n.CreatedAt });
    }
}

using AuthService.Domain.Common;
using AuthService.Domain.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.ToTable("user_sessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.HandleHash).HasMaxLength(OpaqueToken.HashLength).IsRequired();
        builder.Property(s => s.SecurityStamp).HasMaxLength(64).IsRequired();
        builder.Property(s => s.IdleTimeout)
            .HasConversion(v => (long)v.TotalSeconds, v => TimeSpan.FromSeconds(v))
            .HasColumnName("idle_timeout_seconds");
        builder.Property(s => s.UserAgent).HasMaxLength(SessionDevice.MaxUserAgentLength);
        builder.Property(s => s.Address).HasMaxLength(SessionDevice.MaxAddressLength);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Ignore(s => s.DomainEvents);
        builder.Ignore(s => s.AuthenticationMethods);
        builder.MapStringList("_authenticationMethods", "amr");
        builder.Ignore(s => s.ClientIds);
        builder.MapStringList("_clientIds", "client_ids");
        builder.HasIndex(s => s.HandleHash).IsUnique();
        builder.HasIndex(s => s.UserId);
        builder.HasIndex(s => s.ExpiresAt);
        builder.HasIndex(s => s.IdleExpiresAt);
    }
}

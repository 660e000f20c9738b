using AuthService.Infrastructure.Persistence.Replay;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class UsedIdentifierConfiguration : IEntityTypeConfiguration<UsedIdentifier>
{
    public void Configure(EntityTypeBuilder<UsedIdentifier> builder)
    {
        builder.ToTable("used_identifiers");
        builder.HasKey(u => u.Key);
        builder.Property(u => u.Key).HasColumnName("key").HasMaxLength(UsedIdentifier.KeyLength);
        builder.Property(u => u.ExpiresAt).HasColumnName("expires_at");

        // The clean-up job deletes expired entries.
        builder.HasIndex(u => u.ExpiresAt);
    }
}

using AuthService.Domain.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.EventType).HasMaxLength(AuditEntry.MaxEventTypeLength);
        builder.Property(e => e.ActorType).HasMaxLength(32);
        builder.Property(e => e.ActorId).HasMaxLength(AuditEntry.MaxIdLength);
        builder.Property(e => e.SubjectType).HasMaxLength(32);
        builder.Property(e => e.SubjectId).HasMaxLength(AuditEntry.MaxIdLength);
        builder.Property(e => e.ClientId).HasMaxLength(AuditEntry.MaxIdLength);
        builder.Property(e => e.SourceAddress).HasMaxLength(64);
        builder.Property(e => e.Details).HasMaxLength(AuditEntry.MaxDetailsLength);

        // The filters of the admin query, each combined with the id order the pages follow.
        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => new { e.EventType, e.Id });
        builder.HasIndex(e => new { e.ActorId, e.Id });
        builder.HasIndex(e => new { e.SubjectId, e.Id });
        builder.HasIndex(e => new { e.ClientId, e.Id });
    }
}

using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class OutgoingEmailConfiguration : IEntityTypeConfiguration<OutgoingEmail>
{
    public void Configure(EntityTypeBuilder<OutgoingEmail> builder)
    {
        builder.ToTable("outgoing_emails");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Recipient).HasMaxLength(User.MaxEmailLength).IsRequired();
        builder.Property(e => e.Subject).HasMaxLength(OutgoingEmail.MaxSubjectLength).IsRequired();
        builder.Property(e => e.Purpose).HasMaxLength(OutgoingEmail.MaxPurposeLength).IsRequired();
        builder.Property(e => e.Status).HasConversion<int>();
        builder.Property(e => e.LastError).HasMaxLength(OutboxMessage.MaxErrorLength);
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.Ignore(e => e.DomainEvents);

        // What the worker selects on: due pending rows.
        builder.HasIndex(e => new { e.Status, e.NextAttemptAt });

        // What the retention purge walks, oldest first (docs/adr/0033, "Retention").
        builder.HasIndex(e => e.CreatedAt);
        builder.HasIndex(e => new { e.UserId, e.CreatedAt });
    }
}

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
        builder.ConfigureOutbox("outgoing_emails");
        builder.Property(e => e.Recipient).HasMaxLength(User.MaxEmailLength).IsRequired();
        builder.Property(e => e.Subject).HasMaxLength(OutgoingEmail.MaxSubjectLength).IsRequired();
        builder.Property(e => e.Purpose).HasMaxLength(OutgoingEmail.MaxPurposeLength).IsRequired();
        builder.HasIndex(e => new { e.UserId, e.CreatedAt });
    }
}

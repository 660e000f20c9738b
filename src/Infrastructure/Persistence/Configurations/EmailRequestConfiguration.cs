using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class EmailRequestConfiguration : IEntityTypeConfiguration<EmailRequest>
{
    public void Configure(EntityTypeBuilder<EmailRequest> builder)
    {
        builder.ToTable("email_requests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Kind).HasConversion<int>();
        builder.Property(r => r.Address).HasMaxLength(User.MaxEmailLength).IsRequired();
        builder.Property(r => r.NormalizedEmail).HasMaxLength(User.MaxEmailLength).IsRequired();
        builder.Property(r => r.SourceAddress).HasMaxLength(EmailRequest.MaxSourceAddressLength);
        builder.Property(r => r.ContinuationKind).HasConversion<int?>();
        builder.Property(r => r.ContinuationRequest).HasMaxLength(SignInContinuation.MaxRequestLength);
        builder.Property(r => r.ContinuationDeviceCodeHash).HasMaxLength(OpaqueToken.HashLength);
        builder.Ignore(r => r.Continuation);
        builder.Property(r => r.Status).HasConversion<int>();
        builder.Property(r => r.LastError).HasMaxLength(OutboxMessage.MaxErrorLength);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Ignore(r => r.DomainEvents);

        // What the worker selects on (due pending rows) and what the retention purge walks, oldest first.
        builder.HasIndex(r => new { r.Status, r.NextAttemptAt });
        builder.HasIndex(r => r.CreatedAt);
    }
}

using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class EmailTokenConfiguration : IEntityTypeConfiguration<EmailToken>
{
    public void Configure(EntityTypeBuilder<EmailToken> builder)
    {
        builder.ToTable("email_tokens");
        builder.HasKey(t => t.TokenHash);
        builder.Property(t => t.TokenHash).HasMaxLength(OpaqueToken.HashLength);
        builder.Property(t => t.Purpose).HasConversion<int>();
        builder.Property(t => t.NormalizedEmail).HasMaxLength(User.MaxEmailLength).IsRequired();
        builder.Property(t => t.SecurityStamp).HasMaxLength(EmailToken.MaxStampLength).IsRequired();
        builder.Property(t => t.ContinuationKind).HasConversion<int?>();
        builder.Property(t => t.ContinuationRequest).HasMaxLength(SignInContinuation.MaxRequestLength);
        builder.Property(t => t.ContinuationDeviceCodeHash).HasMaxLength(OpaqueToken.HashLength);
        builder.Ignore(t => t.Continuation);

        // Consuming moves the version: of two uses racing on one token, the second save conflicts.
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.Ignore(t => t.DomainEvents);
        builder.HasIndex(t => new { t.UserId, t.Purpose });
        builder.HasIndex(t => t.ExpiresAt);
    }
}

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
        builder.ConfigureOutbox("email_requests");
        builder.Property(r => r.Kind).HasConversion<int>();
        builder.Property(r => r.Address).HasMaxLength(User.MaxEmailLength).IsRequired();
        builder.Property(r => r.NormalizedEmail).HasMaxLength(User.MaxEmailLength).IsRequired();
        builder.Property(r => r.SourceAddress).HasMaxLength(EmailRequest.MaxSourceAddressLength);
        builder.Property(r => r.ContinuationKind).HasConversion<int?>();
        builder.Property(r => r.ContinuationRequest).HasMaxLength(SignInContinuation.MaxRequestLength);
        builder.Property(r => r.ContinuationDeviceCodeHash).HasMaxLength(OpaqueToken.HashLength);
        builder.Ignore(r => r.Continuation);
    }
}

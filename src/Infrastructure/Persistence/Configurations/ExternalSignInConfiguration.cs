using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Federation;
using AuthService.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class ExternalSignInConfiguration : IEntityTypeConfiguration<ExternalSignIn>
{
    public void Configure(EntityTypeBuilder<ExternalSignIn> builder)
    {
        builder.ToTable("external_sign_ins");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.StateHash).HasMaxLength(OpaqueToken.HashLength).IsRequired();
        builder.Property(s => s.BindingHash).HasMaxLength(OpaqueToken.HashLength).IsRequired();
        builder.Property(s => s.Nonce).HasMaxLength(ExternalSignIn.MaxSecretLength).IsRequired();
        builder.Property(s => s.CodeVerifier).HasMaxLength(ExternalSignIn.MaxSecretLength).IsRequired();
        builder.Property(s => s.Purpose).HasConversion<int>();
        builder.Property(s => s.ContinuationKind).HasConversion<int?>();
        builder.Property(s => s.ContinuationRequest).HasMaxLength(SignInContinuation.MaxRequestLength);
        builder.Property(s => s.ContinuationDeviceCodeHash).HasMaxLength(OpaqueToken.HashLength);
        builder.Ignore(s => s.Continuation);
        builder.Property(s => s.ProofSubject).HasMaxLength(ExternalIdentity.MaxSubjectLength);
        builder.Property(s => s.ProofEmail).HasMaxLength(User.MaxEmailLength);
        builder.Property(s => s.ProofName).HasMaxLength(User.MaxNameLength);
        builder.Ignore(s => s.ProofMethods);
        builder.MapStringList("_proofMethods", "proof_amr");

        // The callback and the proof each move the version: of two racing uses of one round trip, the second save conflicts.
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Ignore(s => s.DomainEvents);
        builder.HasIndex(s => s.StateHash).IsUnique();
        builder.HasIndex(s => s.ExpiresAt);
        builder.HasOne<ExternalProvider>().WithMany().HasForeignKey(s => s.ProviderId).OnDelete(DeleteBehavior.Cascade);
        // A proof round trip goes with the round trip it proves.
        builder.HasOne<ExternalSignIn>().WithMany().HasForeignKey(s => s.ProvesSignInId).OnDelete(DeleteBehavior.Cascade);
    }
}

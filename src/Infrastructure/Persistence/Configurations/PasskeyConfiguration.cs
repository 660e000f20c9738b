using AuthService.Domain.Common;
using AuthService.Domain.Passkeys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class PasskeyConfiguration : IEntityTypeConfiguration<Passkey>
{
    public void Configure(EntityTypeBuilder<Passkey> builder)
    {
        builder.ToTable("passkeys");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.CredentialId).HasMaxLength(Passkey.MaxCredentialIdLength).IsRequired();
        builder.Property(p => p.PublicKey).IsRequired();
        // The counter is a 32-bit unsigned integer (WebAuthn L3 §6.1); stored as a 64-bit integer on both providers.
        builder.Property(p => p.SignCount).HasConversion(v => (long)v, v => (uint)v);
        builder.Property(p => p.Name).HasMaxLength(Passkey.MaxNameLength).IsRequired();
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.DomainEvents);
        builder.Ignore(p => p.KeyMethod);
        builder.Ignore(p => p.Transports);
        builder.MapStringList("_transports", "transports");

        // A credential id names one credential of one account on this server (WebAuthn L3 §7.1 step 26).
        builder.HasIndex(p => p.CredentialId).IsUnique();
        builder.HasIndex(p => p.UserId);
        builder.HasOne<Domain.Users.User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PasskeyCeremonyConfiguration : IEntityTypeConfiguration<PasskeyCeremony>
{
    public void Configure(EntityTypeBuilder<PasskeyCeremony> builder)
    {
        builder.ToTable("passkey_ceremonies");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.HandleHash).HasMaxLength(OpaqueToken.HashLength).IsRequired();
        builder.Property(c => c.Kind).HasMaxLength(16).IsRequired();
        builder.Property(c => c.Challenge).HasMaxLength(PasskeyCeremony.ChallengeLength).IsRequired();
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Ignore(c => c.DomainEvents);
        builder.HasIndex(c => c.HandleHash).IsUnique();
        builder.HasIndex(c => c.ExpiresAt);
        builder.HasOne<Domain.Users.User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        // A second factor's ceremony goes with its pending sign-in (purged once expired).
        builder.HasOne<Domain.Sessions.PendingSignIn>().WithMany().HasForeignKey(c => c.PendingSignInId).OnDelete(DeleteBehavior.Cascade);
        // A link proof's ceremony goes with the upstream round trip it proves.
        builder.HasOne<Domain.Federation.ExternalSignIn>().WithMany().HasForeignKey(c => c.ExternalSignInId).OnDelete(DeleteBehavior.Cascade);
    }
}

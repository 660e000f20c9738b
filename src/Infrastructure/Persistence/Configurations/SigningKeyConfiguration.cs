using AuthService.Domain.SigningKeys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> builder)
    {
        builder.ToTable("signing_keys");
        builder.HasKey(k => k.KeyId);
        builder.Property(k => k.KeyId).HasMaxLength(100);
        builder.Property(k => k.Algorithm).HasMaxLength(20).IsRequired();
        builder.Property(k => k.State).HasConversion<int>();
        builder.Property(k => k.PublicJwk).IsRequired();
        builder.Property(k => k.ProtectedPrivateKey).IsRequired();
        builder.Property(k => k.KeyEncryptionKeyId).HasMaxLength(64).IsRequired();
        builder.Property(k => k.Version).IsConcurrencyToken();
        builder.Ignore(k => k.DomainEvents);
        builder.Ignore(k => k.IsPublished);

        // The database keeps "exactly one active key per algorithm" even when two replicas race at
        // first start: the second insert fails and that replica uses the winner's key.
        // Named indexes: EF identifies an unnamed index by its columns, so a second index on
        // "algorithm" would silently replace the first.
        builder.HasIndex(k => k.Algorithm, "ux_signing_keys_one_active_per_algorithm")
            .IsUnique()
            .HasFilter($"\"state\" = {(int)SigningKeyState.Active}");
        // At most one published successor per algorithm, even if two rotations ran at once.
        builder.HasIndex(k => k.Algorithm, "ux_signing_keys_one_pending_per_algorithm")
            .IsUnique()
            .HasFilter($"\"state\" = {(int)SigningKeyState.Pending}");
        builder.HasIndex(k => k.State);
    }
}

using AuthService.Domain.SecondFactors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class SecondFactorEnrolmentConfiguration : IEntityTypeConfiguration<SecondFactorEnrolment>
{
    public void Configure(EntityTypeBuilder<SecondFactorEnrolment> builder)
    {
        builder.ToTable("second_factor_enrolments");
        builder.HasKey(e => e.UserId);
        builder.Property(e => e.UserId).ValueGeneratedNever();
        builder.Property(e => e.KeyEncryptionKeyId).HasMaxLength(64);
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.Ignore(e => e.DomainEvents);
        builder.Ignore(e => e.BackupCodeHashes);
        builder.MapStringList("_backupCodeHashes", "backup_code_hashes");

        // Deleting the user deletes their second factors with it, in the database.
        builder.HasOne<Domain.Users.User>().WithOne().HasForeignKey<SecondFactorEnrolment>(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

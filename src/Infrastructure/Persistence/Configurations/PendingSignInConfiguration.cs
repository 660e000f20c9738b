using AuthService.Domain.Common;
using AuthService.Domain.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class PendingSignInConfiguration : IEntityTypeConfiguration<PendingSignIn>
{
    public void Configure(EntityTypeBuilder<PendingSignIn> builder)
    {
        builder.ToTable("pending_sign_ins");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.HandleHash).HasMaxLength(OpaqueToken.HashLength).IsRequired();
        builder.Property(p => p.SecurityStamp).HasMaxLength(64).IsRequired();
        builder.Property(p => p.ClientId).HasMaxLength(Domain.Clients.Client.MaxClientIdLength);
        builder.Ignore(p => p.FirstFactorMethods);

        // Null in rows written before the first factor was recorded: those came from the password form (pwd).
        builder.MapStringList("_firstFactorMethods", "first_factor_amr").IsRequired(false);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.DomainEvents);
        builder.HasIndex(p => p.HandleHash).IsUnique();
        builder.HasIndex(p => p.ExpiresAt);
        builder.HasOne<Domain.Users.User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

using AuthService.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();
        builder.Property(u => u.Username).HasMaxLength(User.MaxUsernameLength).IsRequired();
        builder.Property(u => u.NormalizedUsername).HasMaxLength(User.MaxUsernameLength * 2).IsRequired();
        builder.Property(u => u.Email).HasMaxLength(User.MaxEmailLength);
        builder.Property(u => u.NormalizedEmail).HasMaxLength(User.MaxEmailLength * 2);
        builder.Property(u => u.Name).HasMaxLength(User.MaxNameLength);
        builder.Property(u => u.PasswordHash).HasMaxLength(200);
        builder.Property(u => u.SecurityStamp).HasMaxLength(64).IsRequired();
        builder.Property(u => u.Version).IsConcurrencyToken();
        builder.Ignore(u => u.DomainEvents);

        // Uniqueness is enforced by the store, so two writers racing on one name cannot both win.
        builder.HasIndex(u => u.NormalizedUsername).IsUnique();
        builder.HasIndex(u => u.NormalizedEmail).IsUnique().HasFilter("\"normalized_email\" IS NOT NULL");
    }
}

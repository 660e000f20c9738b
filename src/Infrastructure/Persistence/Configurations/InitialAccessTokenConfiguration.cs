using AuthService.Domain.Common;
using AuthService.Domain.Registration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class InitialAccessTokenConfiguration : IEntityTypeConfiguration<InitialAccessToken>
{
    public void Configure(EntityTypeBuilder<InitialAccessToken> builder)
    {
        builder.ToTable("initial_access_tokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.TokenHash).HasMaxLength(OpaqueToken.HashLength).IsRequired();
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.Ignore(t => t.DomainEvents);
    }
}

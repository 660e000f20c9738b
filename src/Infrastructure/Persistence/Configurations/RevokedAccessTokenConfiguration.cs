using AuthService.Domain.AccessTokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class RevokedAccessTokenConfiguration : IEntityTypeConfiguration<RevokedAccessToken>
{
    public void Configure(EntityTypeBuilder<RevokedAccessToken> builder)
    {
        builder.ToTable("revoked_access_tokens");
        builder.HasKey(r => r.JwtId);
        builder.Property(r => r.JwtId).HasColumnName("jti").HasMaxLength(RevokedAccessToken.MaxJwtIdLength);
        builder.Property(r => r.ClientId).HasMaxLength(200).IsRequired();
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Ignore(r => r.DomainEvents);

        // The clean-up job deletes entries whose token has expired.
        builder.HasIndex(r => r.ExpiresAt);
    }
}

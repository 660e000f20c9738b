using AuthService.Domain.AuthorizationCodes;
using AuthService.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class AuthorizationCodeConfiguration : IEntityTypeConfiguration<AuthorizationCode>
{
    public void Configure(EntityTypeBuilder<AuthorizationCode> builder)
    {
        builder.ToTable("authorization_codes");
        builder.HasKey(c => c.CodeHash);
        builder.Property(c => c.CodeHash).HasMaxLength(OpaqueToken.HashLength);
        builder.Property(c => c.ClientId).HasMaxLength(200).IsRequired();
        builder.Property(c => c.RedirectUri).HasMaxLength(2000).IsRequired();
        builder.Property(c => c.CodeChallenge).HasMaxLength(Pkce.ChallengeLength).IsRequired();
        builder.Property(c => c.Nonce).HasMaxLength(1000);
        builder.Property(c => c.DPoPJkt).HasColumnName("dpop_jkt").HasMaxLength(43);
        builder.Property(c => c.AccessTokenId).HasMaxLength(100);
        builder.Property(c => c.SecurityStamp).HasMaxLength(64);
        builder.HasIndex(c => c.SessionId);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Ignore(c => c.DomainEvents);
        builder.Ignore(c => c.AuthenticationMethods);
        builder.MapStringList("_authenticationMethods", "amr");
        builder.Ignore(c => c.Scopes);
        builder.MapStringList("_scopes", "scopes");
        builder.Ignore(c => c.Resources);
        builder.MapStringList("_resources", "resources");
        builder.HasIndex(c => c.ExpiresAt);
    }
}

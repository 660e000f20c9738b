using System.Text.Json;
using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class RefreshTokenFamilyConfiguration : IEntityTypeConfiguration<RefreshTokenFamily>
{
    public void Configure(EntityTypeBuilder<RefreshTokenFamily> builder)
    {
        builder.ToTable("refresh_token_families");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.ClientId).HasMaxLength(200).IsRequired();
        builder.Property(f => f.IdleLifetime)
            .HasConversion(v => (long)v.TotalSeconds, v => TimeSpan.FromSeconds(v))
            .HasColumnName("idle_lifetime_seconds");
        builder.Property(f => f.RevocationReason).HasMaxLength(100);
        builder.Property(f => f.SecurityStamp).HasMaxLength(64);
        builder.Property(f => f.BoundJkt).HasMaxLength(43);
        builder.Property(f => f.BoundCertificateThumbprint).HasMaxLength(43);
        builder.Property(f => f.Version).IsConcurrencyToken();
        builder.Ignore(f => f.DomainEvents);
        builder.Ignore(f => f.AuthenticationMethods);
        builder.MapStringList("_authenticationMethods", "amr");
        builder.Ignore(f => f.Scopes);
        builder.MapStringList("_scopes", "scopes");
        builder.Ignore(c => c.Resources);
        builder.MapStringList("_resources", "resources");
        // The list every family kept before access tokens named their family (docs/adr/0040): read for the tokens issued
        // before the upgrade, never added to; "[]" for every family started since.
        builder.Ignore(f => f.LegacyAccessTokens);
        builder.Property<List<AccessTokenReference>>("_legacyAccessTokens")
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasColumnName("access_tokens")
            .HasConversion(
                v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
                v => JsonSerializer.Deserialize<List<AccessTokenReference>>(v, (JsonSerializerOptions?)null) ?? new List<AccessTokenReference>(),
                new ValueComparer<List<AccessTokenReference>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()))
            .IsRequired();
        builder.HasIndex(f => new { f.UserId, f.ClientId });
        builder.HasIndex(f => f.AbsoluteExpiresAt);
        builder.HasIndex(f => f.IdleExpiresAt);
    }
}

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> builder)
    {
        builder.ToTable("refresh_tokens");
        builder.HasKey(t => t.TokenHash);
        builder.Property(t => t.TokenHash).HasMaxLength(OpaqueToken.HashLength);

        // One token per generation: two racing rotations of one family cannot both write generation n+1.
        builder.HasIndex(t => new { t.FamilyId, t.Generation }).IsUnique();
        builder.HasOne<RefreshTokenFamily>().WithMany().HasForeignKey(t => t.FamilyId).OnDelete(DeleteBehavior.Cascade);
    }
}

using AuthService.Domain.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class ProtectedResourceConfiguration : IEntityTypeConfiguration<ProtectedResource>
{
    public void Configure(EntityTypeBuilder<ProtectedResource> builder)
    {
        builder.ToTable("protected_resources");
        builder.HasKey(r => r.Resource);
        builder.Property(r => r.Resource).HasMaxLength(ProtectedResource.MaxResourceLength);
        builder.Property(r => r.Name).HasMaxLength(ProtectedResource.MaxNameLength).IsRequired();
        builder.Property(r => r.AccessTokenLifetime)
            .HasConversion(v => v.HasValue ? (int?)v.Value.TotalSeconds : null, v => v.HasValue ? TimeSpan.FromSeconds(v.Value) : null)
            .HasColumnName("access_token_lifetime_seconds");
        builder.Property(r => r.AccessTokenSigningAlg).HasMaxLength(10);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Ignore(r => r.DomainEvents);
        builder.Ignore(r => r.Scopes);
        builder.Ignore(r => r.IntrospectionClients);
        builder.Ignore(r => r.AllowedClients);
        builder.MapStringList("_scopes", "scopes");
        builder.MapStringList("_introspectionClients", "introspection_clients");
        builder.MapStringList("_allowedClients", "allowed_clients");
    }
}

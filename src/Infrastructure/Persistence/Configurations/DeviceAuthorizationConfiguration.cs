using AuthService.Domain.Common;
using AuthService.Domain.DeviceAuthorizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class DeviceAuthorizationConfiguration : IEntityTypeConfiguration<DeviceAuthorization>
{
    public void Configure(EntityTypeBuilder<DeviceAuthorization> builder)
    {
        builder.ToTable("device_authorizations");
        builder.HasKey(d => d.DeviceCodeHash);
        builder.Property(d => d.DeviceCodeHash).HasMaxLength(OpaqueToken.HashLength);
        builder.Property(d => d.UserCode).HasMaxLength(UserCode.Length).IsRequired();
        // Two live authorizations never share a user code: the page finds exactly one.
        builder.HasIndex(d => d.UserCode).IsUnique();
        builder.Property(d => d.ClientId).HasMaxLength(200).IsRequired();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.SecurityStamp).HasMaxLength(64);
        builder.Property(d => d.Version).IsConcurrencyToken();
        builder.Ignore(d => d.DomainEvents);
        builder.Ignore(d => d.AuthenticationMethods);
        builder.MapStringList("_authenticationMethods", "amr");
        builder.Ignore(d => d.Scopes);
        builder.MapStringList("_scopes", "scopes");
        builder.Ignore(d => d.Resources);
        builder.MapStringList("_resources", "resources");
        builder.HasIndex(d => d.ExpiresAt);
    }
}

using System.Text.Json;
using AuthService.Domain.Common;
using AuthService.Domain.PushedAuthorizationRequests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class PushedAuthorizationRequestConfiguration : IEntityTypeConfiguration<PushedAuthorizationRequest>
{
    private static readonly ValueComparer<Dictionary<string, string>> Comparer = new(
        (a, b) => a!.Count == b!.Count && !a.Except(b!).Any(),
        v => v.Aggregate(17, (hash, item) => HashCode.Combine(hash, item.Key.GetHashCode(StringComparison.Ordinal))),
        v => new Dictionary<string, string>(v, StringComparer.Ordinal));

    public void Configure(EntityTypeBuilder<PushedAuthorizationRequest> builder)
    {
        builder.ToTable("pushed_authorization_requests");
        builder.HasKey(r => r.RequestUriHash);
        builder.Property(r => r.RequestUriHash).HasMaxLength(OpaqueToken.HashLength);
        builder.Property(r => r.ClientId).HasMaxLength(200).IsRequired();
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Ignore(r => r.DomainEvents);
        builder.Ignore(r => r.Parameters);
        builder.Property<Dictionary<string, string>>("_parameters")
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasColumnName("parameters")
            .HasConversion(
                v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
                v => new Dictionary<string, string>(
                    JsonSerializer.Deserialize<Dictionary<string, string>>(v, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>(), StringComparer.Ordinal),
                Comparer)
            .IsRequired();

        // The clean-up job deletes expired requests.
        builder.HasIndex(r => r.ExpiresAt);
    }
}

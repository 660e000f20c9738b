using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

/// <summary>Stores a private <c>List&lt;string&gt;</c> field as a JSON array in one text column, the same on both providers.</summary>
internal static class JsonListConversion
{
    private static readonly ValueComparer<List<string>> Comparer = new(
        (a, b) => a!.SequenceEqual(b!),
        v => v.Aggregate(17, (hash, item) => HashCode.Combine(hash, item.GetHashCode(StringComparison.Ordinal))),
        v => v.ToList());

    public static PropertyBuilder<List<string>> MapStringList<TEntity>(this EntityTypeBuilder<TEntity> builder, string fieldName, string columnName)
        where TEntity : class =>
        builder.Property<List<string>>(fieldName)
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasColumnName(columnName)
            .HasConversion(
                v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
                v => JsonSerializer.Deserialize<List<string>>(v, (JsonSerializerOptions?)null) ?? new List<string>(),
                Comparer)
            .IsRequired();
}

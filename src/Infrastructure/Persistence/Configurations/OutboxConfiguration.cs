using AuthService.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

/// <summary>
/// What every outbox table (<see cref="OutboxMessage"/>) shares, in one place: the key, the delivery state with its
/// concurrency token (the lease's conditional UPDATE moves it), and the two indexes that <c>OutboxRepository&lt;T&gt;</c>
/// walks, so the worker's and the purge's queries find the same indexes on each table.
/// </summary>
internal static class OutboxConfiguration
{
    public static void ConfigureOutbox<TMessage>(this EntityTypeBuilder<TMessage> builder, string table)
        where TMessage : OutboxMessage
    {
        builder.ToTable(table);
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Status).HasConversion<int>();
        builder.Property(m => m.LastError).HasMaxLength(OutboxMessage.MaxErrorLength);
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.Ignore(m => m.DomainEvents);

        // What the worker selects on: due pending rows.
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });

        // What the retention purge walks, oldest first (docs/adr/0033, "Retention").
        builder.HasIndex(m => m.CreatedAt);
    }
}

using System.Text;
using AuthService.Domain.AccessTokens;
using AuthService.Domain.Audit;
using AuthService.Domain.AuthorizationCodes;
using AuthService.Domain.Consents;
using AuthService.Domain.PushedAuthorizationRequests;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Sessions;
using AuthService.Domain.Clients;
using AuthService.Domain.Resources;
using AuthService.Domain.Common;
using AuthService.Domain.SigningKeys;
using AuthService.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AuthService.Infrastructure.Persistence;

/// <summary>
/// The model, shared by both providers. Each provider has its own subclass only so that its migrations
/// are kept apart (<see cref="PostgresAuthDbContext"/>, <see cref="SqliteAuthDbContext"/>).
/// </summary>
public abstract class AuthDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Client> Clients => Set<Client>();

    public DbSet<ProtectedResource> ProtectedResources => Set<ProtectedResource>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    public DbSet<RevokedAccessToken> RevokedAccessTokens => Set<RevokedAccessToken>();

    public DbSet<User> Users => Set<User>();

    public DbSet<AuthorizationCode> AuthorizationCodes => Set<AuthorizationCode>();

    public DbSet<RefreshTokenFamily> RefreshTokenFamilies => Set<RefreshTokenFamily>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<UserSession> UserSessions => Set<UserSession>();

    public DbSet<PendingSignIn> PendingSignIns => Set<PendingSignIn>();

    public DbSet<Domain.SecondFactors.SecondFactorEnrolment> SecondFactorEnrolments => Set<Domain.SecondFactors.SecondFactorEnrolment>();

    public DbSet<Domain.Passkeys.Passkey> Passkeys => Set<Domain.Passkeys.Passkey>();

    public DbSet<Domain.Passkeys.PasskeyCeremony> PasskeyCeremonies => Set<Domain.Passkeys.PasskeyCeremony>();

    public DbSet<Domain.LogoutNotifications.LogoutNotification> LogoutNotifications => Set<Domain.LogoutNotifications.LogoutNotification>();

    public DbSet<Domain.Email.OutgoingEmail> OutgoingEmails => Set<Domain.Email.OutgoingEmail>();

    public DbSet<Domain.Email.EmailToken> EmailTokens => Set<Domain.Email.EmailToken>();

    public DbSet<Domain.Email.EmailRequest> EmailRequests => Set<Domain.Email.EmailRequest>();

    public DbSet<Domain.Federation.ExternalProvider> ExternalProviders => Set<Domain.Federation.ExternalProvider>();

    public DbSet<Domain.Federation.ExternalIdentity> ExternalIdentities => Set<Domain.Federation.ExternalIdentity>();

    public DbSet<Domain.Federation.ExternalSignIn> ExternalSignIns => Set<Domain.Federation.ExternalSignIn>();

    public DbSet<Domain.Tenants.Tenant> Tenants => Set<Domain.Tenants.Tenant>();

    public DbSet<Domain.Tenants.TenantMembership> TenantMemberships => Set<Domain.Tenants.TenantMembership>();

    public DbSet<Domain.Tenants.TenantInvitation> TenantInvitations => Set<Domain.Tenants.TenantInvitation>();

    public DbSet<Consent> Consents => Set<Consent>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<PushedAuthorizationRequest> PushedAuthorizationRequests => Set<PushedAuthorizationRequest>();

    public DbSet<Domain.DeviceAuthorizations.DeviceAuthorization> DeviceAuthorizations => Set<Domain.DeviceAuthorizations.DeviceAuthorization>();

    public DbSet<Domain.Registration.InitialAccessToken> InitialAccessTokens => Set<Domain.Registration.InitialAccessToken>();

    internal DbSet<Replay.UsedIdentifier> UsedIdentifiers => Set<Replay.UsedIdentifier>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AuthDbContext).Assembly);
        ApplySnakeCaseNames(modelBuilder);
    }

    /// <summary>
    /// Every aggregate whose domain methods ran (it raised events) is saved as modified with a new
    /// version, so two writers of the same aggregate conflict even when only a child row changed.
    /// </summary>
    public override Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        foreach (var entry in ChangeTracker.Entries<AggregateRoot>())
        {
            if (entry.State == EntityState.Unchanged && entry.Entity.DomainEvents.Count > 0)
            {
                entry.State = EntityState.Modified;
            }

            if (entry.State == EntityState.Modified)
            {
                entry.Entity.IncrementVersion();
            }
        }

        return base.SaveChangesAsync(cancellationToken);
    }

    private static void ApplySnakeCaseNames(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (!entity.IsOwned() || entity.GetTableName() != entity.FindOwnership()?.PrincipalEntityType.GetTableName())
            {
                entity.SetTableName(SnakeCase(entity.GetTableName()!));
            }

            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.GetColumnName(table) ?? property.Name));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(SnakeCase(key.GetName()!));
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName(SnakeCase(foreignKey.GetConstraintName()!));
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(SnakeCase(index.GetDatabaseName()!));
            }
        }
    }

    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        var trimmed = name.TrimStart('_');
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && trimmed[i - 1] != '_' && (!char.IsUpper(trimmed[i - 1]) || (i + 1 < trimmed.Length && char.IsLower(trimmed[i + 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

public sealed class PostgresAuthDbContext(DbContextOptions<PostgresAuthDbContext> options) : AuthDbContext(options)
{
    /// <summary>
    /// The tenant list's <c>slug_prefix</c> filter is a <c>LIKE 'prefix%'</c>; PostgreSQL serves it from a b-tree only with
    /// the pattern operator class unless the database collation is C, which production clusters seldom use. SQLite's
    /// LIKE is case-insensitive and would not use such an index, so only this provider gets it.
    /// </summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Domain.Tenants.Tenant>().HasIndex(t => t.Slug, "ix_tenants_slug_pattern").HasOperators("varchar_pattern_ops");
    }
}

public sealed class SqliteAuthDbContext(DbContextOptions<SqliteAuthDbContext> options) : AuthDbContext(options)
{
    /// <summary>
    /// SQLite has no timestamp type; timestamps are stored as UTC ticks so they compare and sort in SQL.
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}

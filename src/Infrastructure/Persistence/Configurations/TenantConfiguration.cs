using AuthService.Domain.Common;
using AuthService.Domain.Tenants;
using AuthService.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.ToTable("tenants");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Slug).HasMaxLength(Tenant.MaxSlugLength).IsRequired();
        builder.Property(t => t.DisplayName).HasMaxLength(Tenant.MaxDisplayNameLength).IsRequired();
        builder.Property(t => t.Status).HasConversion<int>();
        builder.Property<bool>("_requireMfa").UsePropertyAccessMode(PropertyAccessMode.Field).HasColumnName("require_mfa");
        builder.MapStringList("_allowedSignInMethods", "allowed_sign_in_methods");
        builder.MapStringList("_allowedEmailDomains", "allowed_email_domains");
        builder.Ignore(t => t.Policy);
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.Ignore(t => t.DomainEvents);

        // Downstream services key on the slug: looked up and paged through its unique index, never scanned.
        builder.HasIndex(t => t.Slug).IsUnique();
    }
}

internal sealed class TenantMembershipConfiguration : IEntityTypeConfiguration<TenantMembership>
{
    public void Configure(EntityTypeBuilder<TenantMembership> builder)
    {
        builder.ToTable("tenant_memberships");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Ignore(m => m.Roles);
        builder.Ignore(m => m.ManagesTenant);
        builder.MapStringList("_roles", "roles");
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.Ignore(m => m.DomainEvents);

        // One membership per (tenant, user): the index also serves the tenant admin check and a tenant's member list;
        // the one on the user serves "this person's tenants" and the user's deletion.
        builder.HasIndex(m => new { m.TenantId, m.UserId }).IsUnique();
        builder.HasIndex(m => m.UserId);

        // Counting a tenant's other owners (every role change and removal) reads the owners' entries only, not every
        // member's row: without it the count of a tenant with thousands of members read them all (bench/tenant-plans.sh).
        builder.HasIndex(m => new { m.TenantId, m.UserId }, "ix_tenant_memberships_owners").HasFilter("\"is_owner\"");
        builder.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TenantInvitationConfiguration : IEntityTypeConfiguration<TenantInvitation>
{
    public void Configure(EntityTypeBuilder<TenantInvitation> builder)
    {
        builder.ToTable("tenant_invitations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Email).HasMaxLength(User.MaxEmailLength).IsRequired();
        builder.Property(i => i.NormalizedEmail).HasMaxLength(User.MaxEmailLength).IsRequired();
        builder.Property(i => i.TokenHash).HasMaxLength(OpaqueToken.HashLength).IsRequired();
        builder.Ignore(i => i.Roles);
        builder.MapStringList("_roles", "roles");

        // Accepting, withdrawing and re-sending move the version: of two racing, the second save conflicts.
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.Ignore(i => i.DomainEvents);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => new { i.TenantId, i.Id });
        // A tenant's deletion takes its invitations with it (open ones stop working).
        builder.HasOne<Tenant>().WithMany().HasForeignKey(i => i.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

using AuthService.Domain.Federation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class ExternalProviderConfiguration : IEntityTypeConfiguration<ExternalProvider>
{
    public void Configure(EntityTypeBuilder<ExternalProvider> builder)
    {
        builder.ToTable("external_providers");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Name).HasMaxLength(ExternalProvider.MaxNameLength).IsRequired();
        builder.Property(p => p.DisplayName).HasMaxLength(ExternalProvider.MaxDisplayNameLength).IsRequired();
        builder.Property(p => p.Protocol).HasConversion<int>();
        builder.Property(p => p.Preset).HasMaxLength(16);
        builder.Property(p => p.ClientId).HasMaxLength(ExternalProvider.MaxClientIdLength).IsRequired();
        builder.Property(p => p.Issuer).HasMaxLength(ExternalProvider.MaxUrlLength);
        builder.Property(p => p.AuthorizationEndpoint).HasMaxLength(ExternalProvider.MaxUrlLength);
        builder.Property(p => p.TokenEndpoint).HasMaxLength(ExternalProvider.MaxUrlLength);
        builder.Property(p => p.UserInfoEndpoint).HasMaxLength(ExternalProvider.MaxUrlLength);
        builder.Property(p => p.AppleTeamId).HasMaxLength(ExternalProvider.MaxAppleIdLength);
        builder.Property(p => p.AppleKeyId).HasMaxLength(ExternalProvider.MaxAppleIdLength);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.DomainEvents);
        builder.Ignore(p => p.Scopes);
        builder.Ignore(p => p.AllowedEmailDomains);
        builder.Ignore(p => p.UsesFormPost);
        builder.Ignore(p => p.ResponseMode);
        builder.Property<string?>("_responseMode").HasColumnName("response_mode").HasMaxLength(16);
        builder.MapStringList("_scopes", "scopes");
        builder.MapStringList("_allowedEmailDomains", "allowed_email_domains");
        builder.OwnsOne(p => p.Claims, claims =>
        {
            claims.Property(c => c.Subject).HasColumnName("claim_subject").HasMaxLength(ExternalProvider.MaxClaimNameLength).IsRequired();
            claims.Property(c => c.Email).HasColumnName("claim_email").HasMaxLength(ExternalProvider.MaxClaimNameLength).IsRequired();
            claims.Property(c => c.EmailVerified).HasColumnName("claim_email_verified").HasMaxLength(ExternalProvider.MaxClaimNameLength).IsRequired();
            claims.Property(c => c.Name).HasColumnName("claim_name").HasMaxLength(ExternalProvider.MaxClaimNameLength).IsRequired();
        });
        builder.Navigation(p => p.Claims).IsRequired();
        builder.HasIndex(p => p.Name).IsUnique();
    }
}

internal sealed class ExternalIdentityConfiguration : IEntityTypeConfiguration<ExternalIdentity>
{
    public void Configure(EntityTypeBuilder<ExternalIdentity> builder)
    {
        builder.ToTable("external_identities");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Subject).HasMaxLength(ExternalIdentity.MaxSubjectLength).IsRequired();
        builder.Property(i => i.Email).HasMaxLength(Domain.Users.User.MaxEmailLength);
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.Ignore(i => i.DomainEvents);

        // One upstream person is linked to one account at most (OIDC Core §5.7: iss and sub together are the key).
        builder.HasIndex(i => new { i.ProviderId, i.Subject }).IsUnique();
        builder.HasIndex(i => i.UserId);
        builder.HasOne<Domain.Users.User>().WithMany().HasForeignKey(i => i.UserId).OnDelete(DeleteBehavior.Cascade);
        // A provider with links is not deleted under them: the admin API answers 409 (disable it instead).
        builder.HasOne<ExternalProvider>().WithMany().HasForeignKey(i => i.ProviderId).OnDelete(DeleteBehavior.Restrict);
    }
}

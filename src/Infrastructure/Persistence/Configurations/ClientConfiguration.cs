using AuthService.Domain.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthService.Infrastructure.Persistence.Configurations;

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> builder)
    {
        builder.ToTable("clients");
        builder.HasKey(c => c.ClientId);
        builder.Property(c => c.ClientId).HasMaxLength(Client.MaxClientIdLength);
        builder.Property(c => c.ClientName).HasMaxLength(200).IsRequired();
        builder.Property(c => c.Type).HasConversion<int>();
        builder.Property(c => c.TokenEndpointAuthMethod).HasMaxLength(50).IsRequired();
        builder.Property(c => c.AccessTokenLifetime)
            .HasConversion(v => (int)v.TotalSeconds, v => TimeSpan.FromSeconds(v))
            .HasColumnName("access_token_lifetime_seconds");
        builder.Property(c => c.Audience).HasMaxLength(500);
        builder.Property(c => c.RequireConsent).HasDefaultValue(true).HasSentinel(true);
        builder.Property(c => c.IdTokenSignedResponseAlg).HasMaxLength(10).HasDefaultValue("RS256").IsRequired();
        builder.Property(c => c.Jwks).HasMaxLength(ClientKeySetRules.MaxJwksLength);
        builder.Property(c => c.JwksUri).HasMaxLength(ClientKeySetRules.MaxUriLength);
        builder.Property(c => c.TokenEndpointAuthSigningAlg).HasMaxLength(10);
        builder.Property(c => c.TlsClientAuthSubjectDn).HasMaxLength(1000);
        builder.Property(c => c.TlsClientAuthSanDns).HasMaxLength(253);
        builder.Property(c => c.DPoPBoundAccessTokens).HasColumnName("dpop_bound_access_tokens");
        builder.Property(c => c.TlsClientCertificateBoundAccessTokens).HasColumnName("tls_client_certificate_bound_access_tokens");
        builder.Property(c => c.RequestObjectSigningAlg).HasMaxLength(10);
        builder.Property(c => c.Profile).HasMaxLength(20);
        builder.Property(c => c.BackchannelLogoutUri).HasMaxLength(ClientKeySetRules.MaxUriLength);
        builder.Property(c => c.FrontchannelLogoutUri).HasMaxLength(ClientKeySetRules.MaxUriLength);
        builder.Property(c => c.RegistrationSource).HasConversion<int>();
        builder.Property(c => c.RegistrationAccessTokenHash)
            .HasConversion(h => h == null ? null : h.ToBytes(), b => b == null ? null : SecretHash.FromBytes(b))
            .HasColumnName("registration_access_token_hash");
        builder.HasIndex(c => new { c.RegistrationSource, c.LastUsedAt });
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Ignore(c => c.DomainEvents);

        builder.Ignore(c => c.RedirectUris);
        builder.Ignore(c => c.PostLogoutRedirectUris);
        builder.Ignore(c => c.GrantTypes);
        builder.Ignore(c => c.AllowedScopes);
        builder.MapStringList("_redirectUris", "redirect_uris");
        builder.MapStringList("_postLogoutRedirectUris", "post_logout_redirect_uris");
        builder.MapStringList("_grantTypes", "grant_types");
        builder.MapStringList("_allowedScopes", "allowed_scopes");
        builder.Ignore(c => c.TokenExchange);
        builder.MapStringList("_tokenExchangeAudiences", "token_exchange_audiences");
        builder.MapStringList("_tokenExchangeSubjectClients", "token_exchange_subject_clients");
        builder.MapStringList("_tokenExchangeSubjectIssuers", "token_exchange_subject_issuers");
        builder.Ignore(c => c.DefaultAcrValues);
        builder.MapStringList("_defaultAcrValues", "default_acr_values");

        builder.OwnsMany(c => c.Secrets, secret =>
        {
            secret.ToTable("client_secrets");
            secret.WithOwner().HasForeignKey("ClientId");
            secret.HasKey(s => s.Id);
            secret.Property(s => s.Id).ValueGeneratedNever();
            secret.Property(s => s.Hash)
                .HasConversion(h => h.ToBytes(), b => SecretHash.FromBytes(b))
                .HasColumnName("secret_hash")
                .IsRequired();
            secret.Property(s => s.ProtectedValue).HasColumnName("protected_value");
        });
        builder.Navigation(c => c.Secrets).HasField("_secrets").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

using AuthService.Application.Audit;
using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Domain.Audit;
using AuthService.Infrastructure.Audit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using AuthService.Application.SigningKeys;
using AuthService.Application.SignIn;
using AuthService.Application.Authorization.Requests;
using AuthService.Domain.AccessTokens;
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
using AuthService.Infrastructure.Caching;
using AuthService.Infrastructure.Cryptography;
using AuthService.Infrastructure.Hosting;
using AuthService.Infrastructure.Jobs;
using AuthService.Infrastructure.Observability;
using AuthService.Infrastructure.Persistence;
using AuthService.Infrastructure.Persistence.Repositories;
using AuthService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "AuthDb";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<AuthServerOptions>()
            .Bind(configuration.GetSection(AuthServerOptions.SectionName))
            .Validate(o => SigningAlgorithms.IsSupported(o.AccessTokenSigningAlgorithm), "Auth:AccessTokenSigningAlgorithm must be ES256, RS256 or EdDSA.")
            .Validate(o => o.JwksCacheSeconds is >= 0 and <= 86_400, "Auth:JwksCacheSeconds must be between 0 and 86400.")
            .Validate(o => o.ClientCacheSeconds is >= 0 and <= 3_600, "Auth:ClientCacheSeconds must be between 0 and 3600.")
            .Validate(o => o.KeyRingRefreshSeconds is >= 1 and <= 3_600, "Auth:KeyRingRefreshSeconds must be between 1 and 3600.")
            .Validate(o => o.RevocationPurgeIntervalSeconds >= 1, "Auth:RevocationPurgeIntervalSeconds must be at least 1.")
            .Validate(o => o.ClientAuthenticationFailureLimit >= 1, "Auth:ClientAuthenticationFailureLimit must be at least 1.")
            .Validate(o => o.PasswordHashIterations >= Pbkdf2PasswordVerifier.MinimumIterations,
                $"Auth:PasswordHashIterations must be at least {Pbkdf2PasswordVerifier.MinimumIterations} (ASVS 5.0 Appendix C, PBKDF2-HMAC-SHA512).")
            .Validate(o => o.ClientAuthenticationFailureWindowSeconds >= 1, "Auth:ClientAuthenticationFailureWindowSeconds must be at least 1.")
            .Validate(o => o.ClientJwksUriCacheSeconds is >= 0 and <= 3_600, "Auth:ClientJwksUriCacheSeconds must be between 0 and 3600.")
            .Validate(o => o.ClientJwksUriRefetchSeconds is >= 1 and <= 3_600, "Auth:ClientJwksUriRefetchSeconds must be between 1 and 3600.")
            .Validate(o => o.ClientJwksUriTimeoutSeconds is >= 1 and <= 30, "Auth:ClientJwksUriTimeoutSeconds must be between 1 and 30.")
            .Validate(o => o.Issuer is null || TryNormalizeIssuer(o.Issuer), "Auth:Issuer must be an absolute http(s) URL without query or fragment.")
            .ValidateOnStart();

        services.AddOptions<SigningKeyRotationOptions>()
            .Bind(configuration.GetSection(SigningKeyRotationOptions.SectionName))
            .Validate<IOptions<AuthServerOptions>>(
                (rotation, auth) => rotation.PropagationTime >= TimeSpan.FromSeconds(auth.Value.JwksCacheSeconds + auth.Value.KeyRingRefreshSeconds),
                "Auth:SigningKeyRotation:PropagationTime must be at least Auth:JwksCacheSeconds + Auth:KeyRingRefreshSeconds, so resource servers have the new key before it signs.")
            .Validate(rotation => rotation.RotationPeriod > rotation.PropagationTime, "Auth:SigningKeyRotation:RotationPeriod must be longer than PropagationTime.")
            .Validate<IOptions<AuthServerOptions>>(
                // A replica may go on signing with the old key until its next key-set refresh after the switch.
                (rotation, auth) => rotation.RetentionTime >= ClientSettings.MaxAccessTokenLifetime + TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(auth.Value.KeyRingRefreshSeconds),
                "Auth:SigningKeyRotation:RetentionTime must be at least the longest access-token lifetime (1 h) plus 5 minutes of clock skew plus Auth:KeyRingRefreshSeconds.")
            .Validate(rotation => rotation.CheckInterval >= TimeSpan.FromSeconds(1) && rotation.CheckInterval <= rotation.PropagationTime / 2,
                "Auth:SigningKeyRotation:CheckInterval must be between 1 second and half the PropagationTime.")
            .ValidateOnStart();

        services.AddOptions<Security.MutualTls.MutualTlsOptions>()
            .Bind(configuration.GetSection(Security.MutualTls.MutualTlsOptions.SectionName))
            .Validate(o => o.Problem() is null, "Auth:MutualTls is invalid: " + (configuration.GetSection(Security.MutualTls.MutualTlsOptions.SectionName)
                .Get<Security.MutualTls.MutualTlsOptions>()?.Problem() ?? "see the documentation"))
            .ValidateOnStart();

        services.AddOptions<Security.Outbound.OutboundFetchOptions>()
            .Bind(configuration.GetSection(Security.Outbound.OutboundFetchOptions.SectionName))
            .Validate(o => Security.Outbound.HardenedFetcher.IsUsableTrustAnchorsFile(o.TrustedCertificatesFile),
                "Auth:OutboundFetch:TrustedCertificatesFile must name a readable PEM file of at least one certificate.")
            .ValidateOnStart();
        services.AddOptions<Security.TokenExchange.TokenExchangeOptions>()
            .Bind(configuration.GetSection(Security.TokenExchange.TokenExchangeOptions.SectionName))
            .Validate<IOptions<AuthServerOptions>>((o, auth) => o.Problem(auth.Value.Issuer) is null, "Auth:TokenExchange is invalid: "
                + (configuration.GetSection(Security.TokenExchange.TokenExchangeOptions.SectionName).Get<Security.TokenExchange.TokenExchangeOptions>()
                    ?.Problem(configuration[$"{AuthServerOptions.SectionName}:Issuer"]) ?? "see docs/operations.md"))
            .ValidateOnStart();
        services.AddOptions<Application.Clients.MetadataDocuments.ClientIdMetadataDocumentOptions>()
            .Bind(configuration.GetSection(Application.Clients.MetadataDocuments.ClientIdMetadataDocumentOptions.SectionName))
            .Validate(o => o.IsValid(), "Auth:ClientIdMetadataDocuments: MinCacheSeconds must be at least 0, MaxCacheSeconds at least MinCacheSeconds "
                + "and at most 604800, and AllowedScopes valid scope tokens.")
            .ValidateOnStart();
        services.AddOptions<Application.DeviceAuthorizations.DeviceAuthorizationOptions>()
            .Bind(configuration.GetSection(Application.DeviceAuthorizations.DeviceAuthorizationOptions.SectionName))
            .Validate(o => o.IsValid(), "Auth:DeviceAuthorization:Lifetime must be between 1 and 30 minutes, Interval a whole number of seconds between 1 and 60, "
                + "UserCodeFailuresPerAddress at least 1 and UserCodeFailureWindow at least 1 second.")
            .ValidateOnStart();
        services.AddOptions<PushedAuthorizationOptions>()
            .Bind(configuration.GetSection(PushedAuthorizationOptions.SectionName))
            .Validate(o => o.IsValid(), "Auth:PushedAuthorizationRequestLifetime must be between 5 seconds and 10 minutes, Auth:VerifiedRequestLifetime between 1 and 60 minutes.")
            .ValidateOnStart();
        services.AddOptions<Application.Registration.RegistrationOptions>()
            .Bind(configuration.GetSection(Application.Registration.RegistrationOptions.SectionName))
            .Validate(o => o.Problem() is null, "Auth:Registration is invalid: " + (configuration.GetSection(Application.Registration.RegistrationOptions.SectionName)
                .Get<Application.Registration.RegistrationOptions>()?.Problem() ?? "see docs/operations.md"))
            .ValidateOnStart();
        // Passkeys (docs/adr/0035): the relying party defaults to the issuer.
        services.AddOptions<Application.Passkeys.PasskeyOptions>()
            .Bind(configuration.GetSection(Application.Passkeys.PasskeyOptions.SectionName))
            .Validate(o => o.Origins.TrueForAll(origin => Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
                    && uri.GetLeftPart(UriPartial.Authority) == origin)
                && (o.RelyingPartyId is null || (o.RelyingPartyId.Length > 0 && Uri.CheckHostName(o.RelyingPartyId) == UriHostNameType.Dns))
                && o.CeremoniesPerAddress >= 1 && o.CeremonyWindow > TimeSpan.Zero,
                "Auth:Passkeys:Origins must be origins (scheme://host[:port], no path), Auth:Passkeys:RelyingPartyId a DNS name, "
                + "CeremoniesPerAddress at least 1 and CeremonyWindow positive.")
            .ValidateOnStart();
        services.AddScoped<Application.Passkeys.IWebAuthn, Security.Passkeys.Fido2WebAuthn>();
        services.AddSingleton<IPasskeyCeremonyThrottle, PasskeyCeremonyThrottle>();
        services.AddOptions<SignInOptions>()
            .Bind(configuration.GetSection(SignInOptions.SectionName))
            .Validate(o => o.AuthorizationCodeLifetime >= TimeSpan.FromSeconds(10) && o.AuthorizationCodeLifetime <= AuthorizationCode.MaxLifetime,
                "Auth:SignIn:AuthorizationCodeLifetime must be between 10 seconds and 10 minutes (OAuth 2.1 §4.1.2).")
            .Validate(o => o.IdTokenLifetime >= TimeSpan.FromMinutes(1) && o.IdTokenLifetime <= TimeSpan.FromHours(1),
                "Auth:SignIn:IdTokenLifetime must be between 1 minute and 1 hour.")
            .Validate(o => o.RefreshTokenIdleLifetime >= TimeSpan.FromMinutes(1) && o.RefreshTokenIdleLifetime <= o.RefreshTokenAbsoluteLifetime,
                "Auth:SignIn:RefreshTokenIdleLifetime must be at least 1 minute and at most RefreshTokenAbsoluteLifetime.")
            .Validate(o => o.RefreshTokenAbsoluteLifetime <= TimeSpan.FromDays(365), "Auth:SignIn:RefreshTokenAbsoluteLifetime must be at most 365 days.")
            .Validate(o => o.SessionIdleTimeout >= TimeSpan.FromMinutes(1) && o.SessionIdleTimeout <= o.SessionLifetime,
                "Auth:SignIn:SessionIdleTimeout must be at least 1 minute and at most SessionLifetime.")
            .Validate(o => o.SessionLifetime <= TimeSpan.FromDays(30), "Auth:SignIn:SessionLifetime must be at most 30 days.")
            .Validate(o => o.LoginFailuresPerAddress >= 1 && o.LoginFailureWindow >= TimeSpan.FromSeconds(1),
                "Auth:SignIn:LoginFailuresPerAddress must be at least 1 and LoginFailureWindow at least 1 second.")
            .ValidateOnStart();

        services.AddOptions<DPoPOptions>()
            .Bind(configuration.GetSection(DPoPOptions.SectionName))
            .Validate(o => o.ProofMaxAge >= TimeSpan.FromSeconds(5) && o.ProofMaxAge <= TimeSpan.FromMinutes(10),
                "Auth:DPoP:ProofMaxAge must be between 5 seconds and 10 minutes (RFC 9449 §11.1: proofs are short-lived).")
            .Validate(o => o.ProofClockSkew >= TimeSpan.Zero && o.ProofClockSkew <= TimeSpan.FromMinutes(1),
                "Auth:DPoP:ProofClockSkew must be between 0 and 1 minute.")
            .Validate(o => o.NonceLifetime >= TimeSpan.FromSeconds(10) && o.NonceLifetime <= TimeSpan.FromHours(1),
                "Auth:DPoP:NonceLifetime must be between 10 seconds and 1 hour.")
            .ValidateOnStart();

        var dataDirectory = Path.GetFullPath(
            configuration[$"{AuthServerOptions.SectionName}:{nameof(AuthServerOptions.DataDirectory)}"] ?? "data", environment.ContentRootPath);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        // docs/adr/0040 (the denylist in memory): kept current by the listener (PostgreSQL) or loaded once (SQLite).
        services.AddSingleton(sp => new Caching.AccessTokenDenylist(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Caching.AccountStates>();
        var denylistInMemory = configuration.GetValue($"{AuthServerOptions.SectionName}:{nameof(AuthServerOptions.DenylistInMemory)}", true);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            if (denylistInMemory)
            {
                services.AddHostedService(sp => new Caching.RevocationListener(
                    connectionString,
                    sp.GetRequiredService<Caching.AccessTokenDenylist>(),
                    sp.GetRequiredService<Caching.AccountStates>(),
                    sp.GetRequiredService<ILogger<Caching.RevocationListener>>()));
            }

            // docs/adr/0040 (write paths): pooled contexts (the context holds no per-request state; EF Core resets its change
            // tracker on return) and no DISCARD ALL on every return of a connection.
            var tuned = Persistence.PostgresConnectionTuning.Apply(connectionString);
            services.AddDbContextPool<AuthDbContext, PostgresAuthDbContext>(o => o.UseNpgsql(tuned));
        }
        else
        {
            Directory.CreateDirectory(dataDirectory);
            var databasePath = Path.Combine(dataDirectory, "authservice.db");
            var sqliteConnectionString = AuthServerInitializer.SqliteConnectionString(databasePath);
            services.AddDbContextPool<AuthDbContext, SqliteAuthDbContext>(o => o.UseSqlite(sqliteConnectionString));
            services.AddSingleton(new Persistence.Replay.SqliteReplayWriter(sqliteConnectionString));
            if (denylistInMemory)
            {
                services.AddHostedService<Caching.AccessTokenDenylistLoader>();
            }
        }

        // docs/adr/0041: EF Core's error events at Debug; the caller of a failed command handles or logs it, once.
        services.AddPersistenceLogging();
        services.AddSingleton<DatabaseOutage>();

        services.AddScoped<IClientRepository, ClientRepository>();
        services.AddScoped<IProtectedResourceRepository, ProtectedResourceRepository>();
        services.AddScoped<ISigningKeyRepository, SigningKeyRepository>();
        services.AddScoped<IRevokedAccessTokenRepository, RevokedAccessTokenRepository>();
        services.AddScoped<IUserRepository, UserRepository>();
        services.AddScoped<IAuthorizationCodeRepository, AuthorizationCodeRepository>();
        services.AddScoped<IRefreshTokenFamilyRepository, RefreshTokenFamilyRepository>();
        services.AddScoped<IUserSessionRepository, UserSessionRepository>();
        services.AddScoped<IPendingSignInRepository, PendingSignInRepository>();
        services.AddScoped<Domain.SecondFactors.ISecondFactorEnrolmentRepository, SecondFactorEnrolmentRepository>();
        services.AddScoped<Domain.Passkeys.IPasskeyRepository, PasskeyRepository>();
        services.AddScoped<Domain.Passkeys.IPasskeyCeremonyRepository, PasskeyCeremonyRepository>();
        services.AddScoped<Domain.LogoutNotifications.ILogoutNotificationRepository, LogoutNotificationRepository>();
        services.AddScoped<IOutbox<Domain.LogoutNotifications.LogoutNotification>>(sp => sp.GetRequiredService<Domain.LogoutNotifications.ILogoutNotificationRepository>());
        services.AddScoped<Domain.Email.IOutgoingEmailRepository, OutgoingEmailRepository>();
        services.AddScoped<IOutbox<Domain.Email.OutgoingEmail>>(sp => sp.GetRequiredService<Domain.Email.IOutgoingEmailRepository>());
        services.AddScoped<Domain.Email.IEmailTokenRepository, EmailTokenRepository>();
        services.AddScoped<Domain.Email.IEmailRequestRepository, EmailRequestRepository>();
        services.AddScoped<IOutbox<Domain.Email.EmailRequest>>(sp => sp.GetRequiredService<Domain.Email.IEmailRequestRepository>());
        services.AddScoped<Domain.Federation.IExternalProviderRepository, ExternalProviderRepository>();
        services.AddScoped<Domain.Webhooks.IWebhookSubscriptionRepository, WebhookSubscriptionRepository>();
        services.AddScoped<Domain.Webhooks.IWebhookDeliveryRepository, WebhookDeliveryRepository>();
        services.AddScoped<IOutbox<Domain.Webhooks.WebhookDelivery>>(sp => sp.GetRequiredService<Domain.Webhooks.IWebhookDeliveryRepository>());
        services.AddScoped<Webhooks.WebhookFanOut>();
        services.AddScoped<Domain.Federation.IExternalIdentityRepository, ExternalIdentityRepository>();
        services.AddScoped<Domain.Federation.IExternalSignInRepository, ExternalSignInRepository>();
        services.AddScoped<Domain.Tenants.ITenantRepository, TenantRepository>();
        services.AddScoped<Domain.Tenants.ITenantMembershipRepository, TenantMembershipRepository>();
        services.AddScoped<Domain.Tenants.ITenantInvitationRepository, TenantInvitationRepository>();
        services.AddScoped<IConsentRepository, ConsentRepository>();
        services.AddScoped<IPushedAuthorizationRequestRepository, PushedAuthorizationRequestRepository>();
        services.AddScoped<Domain.DeviceAuthorizations.IDeviceAuthorizationRepository, DeviceAuthorizationRepository>();
        services.AddScoped<Domain.Registration.IInitialAccessTokenRepository, InitialAccessTokenRepository>();
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddScoped<IReplayCache, Persistence.Replay.ReplayCache>();
        services.AddScoped<IDPoPProofValidator, Security.DPoP.DPoPProofValidator>();
        services.AddScoped<IAuditLog, AuditLog>();
        services.AddScoped<PendingAuditTrail>();
        services.AddScoped<IAuditTrail>(sp => sp.GetRequiredService<PendingAuditTrail>());
        services.TryAddScoped<IAuditContext, SystemAuditContext>();
        services.AddSingleton<IPageCursors, PageCursors>();
        services.AddSingleton<ITotpSecrets, TotpSecrets>();
        services.AddSingleton<IAuthorizationRequestSeal, Security.RequestObjects.AuthorizationRequestSeal>();
        services.AddScoped<IRequestObjectReader, Security.RequestObjects.RequestObjectReader>();

        services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("AuthService.Infrastructure.Cryptography.KeyEncryptionKey");
            return KeyEncryptionKey.Load(
                sp.GetRequiredService<IOptions<AuthServerOptions>>().Value.KeyEncryptionKey,
                Path.Combine(dataDirectory, "signing-keys.kek"),
                message => logger.LogWarning("{Message}", message));
        });
        // docs/adr/0040: the size of new RS256 keys; existing keys keep theirs.
        services.AddOptions<SigningKeyOptions>()
            .Bind(configuration.GetSection(SigningKeyOptions.SectionName))
            .Validate(o => SigningKeyOptions.AllowedRsaKeySizes.Contains(o.RsaKeySize), "Auth:SigningKeys:RsaKeySize must be 2048, 3072 or 4096.")
            .ValidateOnStart();
        services.AddSingleton<ISigningKeyMaterialFactory, SigningKeyMaterialFactory>();
        services.AddSingleton<IClientSecretProtector, ClientSecretProtector>();
        services.AddSingleton<Application.Federation.IExternalProviderSecrets, Federation.ExternalProviderSecrets>();
        Federation.FederationServices.AddUpstreamProtocols(services);
        services.AddSingleton(sp => new Security.Outbound.HardenedFetcher(
            sp.GetRequiredService<IOptions<Security.Outbound.OutboundFetchOptions>>().Value.AllowLoopback
                || sp.GetRequiredService<IOptions<AuthServerOptions>>().Value.ClientJwksUriAllowLoopback
                || environment.IsDevelopment(),
            Security.Outbound.HardenedFetcher.LoadTrustAnchors(sp.GetRequiredService<IOptions<Security.Outbound.OutboundFetchOptions>>().Value.TrustedCertificatesFile)));
        services.AddSingleton(sp => new Security.ClientKeys.JwksUriFetcher(
            sp.GetRequiredService<Security.Outbound.HardenedFetcher>(),
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<AuthServerOptions>>().Value.ClientJwksUriTimeoutSeconds),
            sp.GetRequiredService<ILogger<Security.ClientKeys.JwksUriFetcher>>()));
        services.AddSingleton<ClientIdMetadataDocumentResolver>();
        services.AddSingleton<IDPoPNonces, Security.DPoP.DPoPNonces>();
        services.AddSingleton<Security.ClientKeys.IClientKeyResolver, Security.ClientKeys.ClientKeyResolver>();
        services.AddSingleton<IExternalTokenValidator, Security.TokenExchange.ExternalTokenValidator>();
        services.AddScoped<Application.Common.Security.IClientAssertionValidator, Security.ClientAssertions.ClientAssertionValidator>();
        services.AddSingleton<Security.MutualTls.TrustAnchors>();
        services.AddSingleton<IClientCertificateAuthenticator, Security.MutualTls.ClientCertificateAuthenticator>();
        services.AddSingleton<IMutualTlsEndpoints, Security.MutualTls.MutualTlsEndpoints>();
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<ISigningKeyRing>(sp => sp.GetRequiredService<SigningKeyRing>());
        services.AddSingleton<IAccessTokenIssuer, JwtAccessTokenIssuer>();
        services.AddSingleton<IAccessTokenValidator, JwtAccessTokenValidator>();
        services.AddSingleton<IIssuerProvider, IssuerProvider>();
        services.AddSingleton<ClientCatalog>();
        services.AddSingleton<IClientCatalog>(sp => sp.GetRequiredService<ClientCatalog>());
        services.AddSingleton<IProtectedResourceCatalog, ProtectedResourceCatalog>();
        services.AddSingleton<IClientAuthenticationThrottle, ClientAuthenticationThrottle>();
        services.AddSingleton<ILoginThrottle, LoginThrottle>();
        services.AddSingleton<IUserCodeThrottle, UserCodeThrottle>();
        services.AddSingleton<IWebOrigins, WebOrigins>();
        services.AddSingleton<IIdTokenIssuer, JwtIdTokenIssuer>();
        services.AddSingleton<IPasswordHasher, Argon2idPasswordHasher>();

        services.AddHostedService<AuthServerInitializerService>();
        // The warm-up before readiness (docs/adr/0044): started after the server, so after the initializer above.
        services.AddOptions<WarmUpOptions>()
            .Bind(configuration.GetSection(WarmUpOptions.SectionName))
            .Validate(o => o.IsValid, WarmUpOptions.Problem)
            .ValidateOnStart();
        services.AddSingleton<ServerWarmUp>();
        services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(sp => sp.GetRequiredService<ServerWarmUp>());
        services.AddHostedService(sp => sp.GetRequiredService<ServerWarmUp>());
        services.AddSingleton<IWarmUpState>(sp => sp.GetRequiredService<ServerWarmUp>());
        services.AddOptions<Logout.BackchannelLogoutOptions>()
            .Bind(configuration.GetSection(Logout.BackchannelLogoutOptions.SectionName))
            .Validate(o => o.IsValid, Outbox.OutboxOptions.Problem(Logout.BackchannelLogoutOptions.SectionName))
            .ValidateOnStart();
        services.AddHostedService<Logout.BackchannelLogoutWorker>();
        services.AddOptions<Application.Outbox.OutboxRetentionOptions>()
            .Bind(configuration.GetSection(Application.Outbox.OutboxRetentionOptions.SectionName))
            .Validate(o => o.IsValid, "Auth:Outbox:Retention must be between 1 hour and 3650 days.")
            .ValidateOnStart();
        AddEmail(services, configuration, dataDirectory);
        services.AddOptions<Webhooks.WebhookOptions>()
            .Bind(configuration.GetSection(Webhooks.WebhookOptions.SectionName))
            .Validate(o => o.IsValidWebhooks, Webhooks.WebhookOptions.WebhooksProblem)
            .ValidateOnStart();
        services.AddSingleton<Application.Webhooks.Common.IWebhookSecrets, Webhooks.WebhookSecrets>();
        services.AddSingleton<Application.Webhooks.Common.IWebhookUrlPolicy, Webhooks.WebhookUrlPolicy>();
        services.AddHostedService<Webhooks.WebhookDeliveryWorker>();
        services.AddScheduledJobs(configuration, string.IsNullOrWhiteSpace(connectionString) ? null : connectionString);
        // Observability (docs/adr/0042): OpenTelemetry metrics and traces, off unless Auth:Telemetry turns an exporter on.
        services.AddObservability(configuration);

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<SigningKeysHealthCheck>("signing-keys", tags: ["ready"])
            .AddCheck<ShutdownHealthCheck>("not-stopping", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// The e-mail outbox's worker and its transport: SMTP when <c>Auth:Email:Smtp:Host</c> is set, else the pickup folder
    /// (<c>Auth:Email:PickupDirectory</c>, default <c>mail/</c> in the data directory) so the quick start shows every message.
    /// </summary>
    private static void AddEmail(IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.AddOptions<Application.Email.EmailOptions>()
            .Bind(configuration.GetSection(Application.Email.EmailOptions.SectionName))
            .Validate(o => o.IsValid, "Auth:Email: VerificationLifetime 5 minutes to 7 days, PasswordResetLifetime 5 minutes to 24 hours, MagicLinkLifetime 1 minute to 1 hour, TenantInvitationLifetime 1 hour to 30 days, "
                + "RequestsPerAddress and RequestsPerSource at least 1, RequestWindow at least 1 second.")
            .ValidateOnStart();
        services.AddSingleton<IEmailRequestThrottle, EmailRequestThrottle>();
        services.AddOptions<Application.SelfRegistration.SelfRegistrationOptions>()
            .Bind(configuration.GetSection(Application.SelfRegistration.SelfRegistrationOptions.SectionName))
            .Validate(o => o.AllowedEmailDomains.All(d => !string.IsNullOrWhiteSpace(d) && !d.Contains('@', StringComparison.Ordinal)),
                "Auth:SelfRegistration:AllowedEmailDomains: domain names such as example.com, without '@'.")
            .ValidateOnStart();
        services.AddOptions<Email.EmailDeliveryOptions>()
            .Bind(configuration.GetSection(Email.EmailDeliveryOptions.SectionName))
            .Validate(o => o.IsValid, Outbox.OutboxOptions.Problem(Email.EmailDeliveryOptions.SectionName))
            .Validate(o => o.HasValidFrom, "Auth:Email:From must be one mailbox, e.g. \"AuthService <no-reply@example.com>\".")
            .Validate(o => !o.UsesSmtp || o.Smtp.Port is >= 1 and <= 65_535, "Auth:Email:Smtp:Port must be between 1 and 65535.")
            .ValidateOnStart();
        services.AddSingleton<Email.IEmailTransport>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<Email.EmailDeliveryOptions>>().Value;
            return settings.UsesSmtp
                ? new Email.SmtpEmailTransport(sp.GetRequiredService<IOptions<Email.EmailDeliveryOptions>>())
                : new Email.PickupDirectoryTransport(Path.GetFullPath(settings.PickupDirectory ?? "mail", dataDirectory));
        });
        services.AddSingleton<Application.Common.Interfaces.IEmailDelivery, Email.EmailDelivery>();
        services.AddHostedService<Email.EmailWorker>();
        services.AddHostedService<Email.EmailRequestWorker>();
    }

    private static bool TryNormalizeIssuer(string issuer)
    {
        try
        {
            IssuerProvider.Normalize(issuer);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

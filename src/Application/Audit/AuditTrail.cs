using System.Text.Json;
using AuthService.Domain.AuthorizationCodes.Events;
using AuthService.Domain.Clients;
using AuthService.Domain.Clients.Events;
using AuthService.Domain.Resources.Events;
using AuthService.Domain.Common;
using AuthService.Domain.Consents.Events;
using AuthService.Domain.DeviceAuthorizations.Events;
using AuthService.Domain.RefreshTokens.Events;
using AuthService.Domain.SecondFactors.Events;
using AuthService.Domain.Sessions.Events;
using AuthService.Domain.SigningKeys.Events;
using AuthService.Domain.Users.Events;

namespace AuthService.Application.Audit;

/// <summary>Who caused an audited fact: <c>admin_client</c>, <c>client</c>, <c>user</c> or <c>system</c>, and its id.</summary>
public sealed record AuditActor(string Type, string Id)
{
    public static readonly AuditActor System = new("system", "authservice");

    public static AuditActor AdminClient(string clientId) => new("admin_client", clientId);

    public static AuditActor Client(string clientId) => new("client", clientId);

    public static AuditActor User(Guid userId) => new("user", userId.ToString());
}

/// <summary>
/// One fact to append to the audit log. <see cref="Actor"/> is the actor the fact itself implies (the user
/// who signed in, the client that replayed a code); the request's actor (an admin client) takes precedence.
/// </summary>
public sealed record AuditRecord(
    string EventType,
    string? SubjectType,
    string? SubjectId,
    string? ClientId = null,
    IReadOnlyDictionary<string, string?>? Details = null,
    AuditActor? Actor = null,
    DateTimeOffset? OccurredAt = null)
{
    public string? DetailsJson => Details is { Count: > 0 } ? JsonSerializer.Serialize(Details) : null;
}

/// <summary>
/// Facts to append to the audit log with the next save of the unit of work, in the same transaction as the
/// change they describe. Use it for facts that no aggregate raises as a domain event (a failed sign-in,
/// a denied consent); domain events are turned into entries by <see cref="AuditEvents"/> without a call here.
/// A recorded fact stays pending until a save succeeds, so a save retried after a conflict still carries it.
/// </summary>
public interface IAuditTrail
{
    void Record(AuditRecord record);
}

/// <summary>The request an audited fact happens in: the authenticated admin client, if any, and the source address.</summary>
public interface IAuditContext
{
    AuditActor? Actor { get; }

    string? SourceAddress { get; }
}

/// <summary>
/// The catalogue of audited domain events: which events are security facts and how each reads in the log.
/// Events on the token endpoint's ordinary path (a code redeemed, a family started or rotated) are not
/// audited, so issuing tokens writes no audit row; only the security exceptions there (a replayed code,
/// a reused refresh token) are.
/// </summary>
public static class AuditEvents
{
    // Subject kinds: the affected principal or resource. Consents, sessions and token families are filed
    // under their user (with the client in ClientId), so "everything about this user" is one filter.
    public const string User = "user";
    public const string Client = "client";
    public const string SigningKey = "signing_key";
    public const string Resource = "resource";
    public const string ExternalProvider = "external_provider";
    public const string Webhook = "webhook";
    public const string Tenant = "tenant";

    public static AuditRecord? From(IDomainEvent domainEvent) => domainEvent switch
    {
        UserRegistered e => OnUser("user.created", e.UserId),
        UserProfileUpdated e => OnUser("user.updated", e.UserId),
        UserPasswordChanged e => OnUser("user.password_changed", e.UserId),
        UserLockedOut e => OnUser("user.locked_out", e.UserId, With("lockout_ends_at", e.LockoutEndsAt.ToString("O"))) with { Actor = AuditActor.User(e.UserId) },
        UserUnlocked e => OnUser("user.unlocked", e.UserId),
        UserDisabled e => OnUser("user.disabled", e.UserId),
        UserEnabled e => OnUser("user.enabled", e.UserId),
        UserDeleted e => OnUser("user.deleted", e.UserId),
        SecondFactorEnrolled e => OnUser("user.second_factor_enrolled", e.UserId, With("method", e.Method)) with { Actor = AuditActor.User(e.UserId) },
        SecondFactorRemoved e => OnUser("user.second_factor_removed", e.UserId, With("reason", e.Reason)),
        BackupCodesRegenerated e => OnUser("user.backup_codes_regenerated", e.UserId, With("count", e.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            with { Actor = AuditActor.User(e.UserId) },
        BackupCodeUsed e => OnUser("user.backup_code_used", e.UserId, With("remaining", e.Remaining.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            with { Actor = AuditActor.User(e.UserId) },
        Domain.Passkeys.Events.PasskeyRegistered e => OnUser("user.passkey_registered", e.UserId, With("passkey_id", e.PasskeyId.ToString()))
            with { Actor = AuditActor.User(e.UserId) },
        Domain.Passkeys.Events.PasskeyRemoved e => OnUser("user.passkey_removed", e.UserId, With("passkey_id", e.PasskeyId.ToString(), "reason", e.Reason)),
        // docs/adr/0037: an upstream identity linked to an account (how: provisioned or linked) or unlinked (reason: self or admin).
        Domain.Federation.Events.ExternalIdentityLinked e => OnUser("user.external_identity_linked", e.UserId,
            With("identity_id", e.IdentityId.ToString(), "provider_id", e.ProviderId.ToString(), "how", e.How)) with { Actor = AuditActor.User(e.UserId) },
        Domain.Federation.Events.ExternalIdentityUnlinked e => OnUser("user.external_identity_unlinked", e.UserId,
            With("identity_id", e.IdentityId.ToString(), "provider_id", e.ProviderId.ToString(), "reason", e.Reason))
            with { Actor = e.Reason == Domain.Federation.ExternalIdentity.UnlinkedBySelf ? AuditActor.User(e.UserId) : null },
        UserSessionStarted e => new AuditRecord("user.signed_in", User, e.UserId.ToString(), Details: With("session_id", e.SessionId.ToString()), Actor: AuditActor.User(e.UserId)),
        UserSessionSteppedUp e => new AuditRecord("session.stepped_up", User, e.UserId.ToString(), Details: With("session_id", e.SessionId.ToString()),
            Actor: AuditActor.User(e.UserId)),
        UserSessionEnded e => new AuditRecord("session.ended", User, e.UserId.ToString(), Details: With("session_id", e.SessionId.ToString())),

        ClientRegistered { Source: RegistrationSource.Dynamic } e => OnClient("client.created", e.ClientId, With("registration_source", "dynamic")) with { Actor = AuditActor.Client(e.ClientId) },
        ClientRegistered e => OnClient("client.created", e.ClientId),
        ClientReconfigured e => OnClient("client.updated", e.ClientId),
        ClientSecretAdded e => OnClient("client.secret_added", e.ClientId, With("secret_id", e.SecretId.ToString())),
        ClientSecretRotated e => OnClient("client.secret_rotated", e.ClientId,
            With("secret_id", e.NewSecretId.ToString(), "previous_secrets_expire_at", e.PreviousSecretsExpireAt.ToString("O"))),
        ClientSecretRevoked e => OnClient("client.secret_revoked", e.ClientId, With("secret_id", e.SecretId.ToString())),
        ClientDisabled e => OnClient("client.disabled", e.ClientId),
        ClientEnabled e => OnClient("client.enabled", e.ClientId),
        ClientDeleted e => OnClient("client.deleted", e.ClientId),

        ProtectedResourceRegistered e => OnResource("resource.created", e.Resource),
        ProtectedResourceReconfigured e => OnResource("resource.updated", e.Resource),
        ProtectedResourceDisabled e => OnResource("resource.disabled", e.Resource),
        ProtectedResourceEnabled e => OnResource("resource.enabled", e.Resource),
        ProtectedResourceDeleted e => OnResource("resource.deleted", e.Resource),

        // docs/adr/0039: a webhook subscription created, updated, secret_rotated, deleted or disabled (reason admin or failing),
        // with its tenant filter's slug when it has one (a tenant administrator's changes are found by the tenant).
        Domain.Webhooks.Events.WebhookSubscriptionChanged e => new AuditRecord("webhook." + e.Change, Webhook, e.SubscriptionId.ToString(),
            Details: e.Reason is null && e.Tenant is null ? null : WithoutNulls("reason", e.Reason, "tenant", e.Tenant)),

        // docs/adr/0037 "Administration": an upstream provider, filed under its name (created or updated; deleted).
        Domain.Federation.Events.ExternalProviderChanged e => new AuditRecord("external_provider." + e.Change, ExternalProvider, e.Name,
            Details: With("provider_id", e.ProviderId.ToString())),
        Domain.Federation.Events.ExternalProviderDeleted e => new AuditRecord("external_provider.deleted", ExternalProvider, e.Name,
            Details: With("provider_id", e.ProviderId.ToString())),

        // docs/adr/0038: filed under the tenant's id with its slug in "tenant" (the webhooks' tenant filter reads it), and the
        // member's id in "user_id" for member events.
        Domain.Tenants.Events.TenantCreated e => OnTenant("tenant.created", e.TenantId, e.Slug),
        Domain.Tenants.Events.TenantUpdated e => OnTenant("tenant.updated", e.TenantId, e.Slug),
        Domain.Tenants.Events.TenantDeleted e => OnTenant("tenant.deleted", e.TenantId, e.Slug),
        Domain.Tenants.Events.TenantMemberAdded e => OnTenant("tenant.member.added", e.TenantId, e.Slug,
            "user_id", e.UserId.ToString(), "roles", string.Join(' ', e.Roles), "how", e.How),
        Domain.Tenants.Events.TenantMemberRemoved e => OnTenant("tenant.member.removed", e.TenantId, e.Slug, "user_id", e.UserId.ToString(), "reason", e.Reason),
        Domain.Tenants.Events.TenantMemberRolesChanged e => OnTenant("tenant.member.roles_changed", e.TenantId, e.Slug,
            "user_id", e.UserId.ToString(), "roles", string.Join(' ', e.Roles)),
        Domain.Tenants.Events.TenantInvitationSent e => OnTenant("tenant.invite.sent", e.TenantId, e.Slug,
            "invitation_id", e.InvitationId.ToString(), "roles", string.Join(' ', e.Roles), "resent", e.Resent ? "true" : "false"),
        Domain.Tenants.Events.TenantInvitationAccepted e => OnTenant("tenant.invite.accepted", e.TenantId, e.Slug,
            "invitation_id", e.InvitationId.ToString(), "user_id", e.UserId.ToString()) with { Actor = AuditActor.User(e.UserId) },
        Domain.Tenants.Events.TenantInvitationWithdrawn e => OnTenant("tenant.invite.withdrawn", e.TenantId, e.Slug, "invitation_id", e.InvitationId.ToString()),

        SigningKeyGenerated e => OnKey("signing_key.generated", e.KeyId, With("alg", e.Algorithm)),
        SigningKeyActivated e => OnKey("signing_key.activated", e.KeyId, With("alg", e.Algorithm)),
        SigningKeyRetired e => OnKey("signing_key.retired", e.KeyId),
        SigningKeyRemoved e => OnKey("signing_key.removed", e.KeyId),
        SigningKeyRevoked e => OnKey("signing_key.revoked", e.KeyId),

        ConsentGranted e => OnConsent("consent.granted", e.UserId, e.ClientId) with { Actor = AuditActor.User(e.UserId) },
        ConsentRevoked e => OnConsent("consent.revoked", e.UserId, e.ClientId),

        // RFC 8628: each step of a device authorization (requested by the device, decided by the person, redeemed by the device).
        DeviceAuthorizationRequested e => OnClient("device_authorization.requested", e.ClientId) with { Actor = AuditActor.Client(e.ClientId) },
        DeviceAuthorizationApproved e => new AuditRecord("device_authorization.approved", User, e.UserId.ToString(), e.ClientId, Actor: AuditActor.User(e.UserId)),
        DeviceAuthorizationDenied e => new AuditRecord("device_authorization.denied", User, e.UserId.ToString(), e.ClientId, Actor: AuditActor.User(e.UserId)),
        DeviceAuthorizationRedeemed e => new AuditRecord("device_authorization.redeemed", User, e.UserId.ToString(), e.ClientId, Actor: AuditActor.Client(e.ClientId)),

        // RFC 9700 §4.2.4 and §4.14.2: the two replay signals of the token endpoint.
        AuthorizationCodeReplayed e => new AuditRecord("authorization_code.replayed", User, e.UserId.ToString(), e.ClientId, Actor: AuditActor.Client(e.ClientId)),
        RefreshTokenFamilyRevoked { Reason: "reuse" } e => new AuditRecord("refresh_token.reuse_detected", User, e.UserId.ToString(), e.ClientId,
            With("family_id", e.FamilyId.ToString()), AuditActor.Client(e.ClientId)),
        RefreshTokenFamilyRevoked e => new AuditRecord("refresh_token_family.revoked", User, e.UserId.ToString(), e.ClientId,
            With("family_id", e.FamilyId.ToString(), "reason", e.Reason)),
        _ => null,
    };

    /// <summary>A failed sign-in (no aggregate records the unknown-user case); the reason is for the log only, never shown to the browser.</summary>
    public static AuditRecord SignInFailed(Guid? userId, string reason, string? clientId) =>
        new("user.sign_in_failed", userId is null ? null : User, userId?.ToString(), clientId, With("reason", reason),
            userId is { } id ? AuditActor.User(id) : new AuditActor("anonymous", "unknown_user"));

    /// <summary>An administrator sent an invitation again: a new link, and the earlier open ones revoked (docs/adr/0036).</summary>
    public static AuditRecord InvitationResent(Guid userId, int revokedLinks) =>
        OnUser("user.invitation_resent", userId, With("revoked_links", revokedLinks.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>An administrator withdrew an invitation: its open links revoked and the user who never accepted deleted (docs/adr/0036).</summary>
    public static AuditRecord InvitationWithdrawn(Guid userId, int revokedLinks) =>
        OnUser("user.invitation_withdrawn", userId, With("revoked_links", revokedLinks.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static AuditRecord ConsentDenied(Guid userId, string clientId) =>
        OnConsent("consent.denied", userId, clientId) with { Actor = AuditActor.User(userId) };

    private static AuditRecord OnUser(string type, Guid userId, IReadOnlyDictionary<string, string?>? details = null) =>
        new(type, User, userId.ToString(), Details: details);

    private static AuditRecord OnClient(string type, string clientId, IReadOnlyDictionary<string, string?>? details = null) =>
        new(type, Client, clientId, clientId, details);

    private static AuditRecord OnResource(string type, string resource) => new(type, Resource, resource);

    private static AuditRecord OnTenant(string type, Guid tenantId, string slug, params string?[] details) =>
        new(type, Tenant, tenantId.ToString("D"), Details: With(["tenant", slug, .. details]));

    private static AuditRecord OnKey(string type, string keyId, IReadOnlyDictionary<string, string?>? details = null) =>
        new(type, SigningKey, keyId, Details: details);

    private static AuditRecord OnConsent(string type, Guid userId, string clientId) =>
        new(type, User, userId.ToString(), clientId);

    private static Dictionary<string, string?> WithoutNulls(params string?[] pairs)
    {
        var details = With(pairs);
        foreach (var key in details.Where(d => d.Value is null).Select(d => d.Key).ToList())
        {
            details.Remove(key);
        }

        return details;
    }

    private static Dictionary<string, string?> With(params string?[] pairs)
    {
        var details = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            details[pairs[i]!] = pairs[i + 1];
        }

        return details;
    }
}

using System.Security.Cryptography;
using System.Text;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants.Events;
using AuthService.Domain.Users;

namespace AuthService.Domain.Tenants;

/// <summary>
/// An invitation to join a tenant with some roles, sent by e-mail to an address that may or may not have an account yet
/// (docs/adr/0038). Only the SHA-256 of its link's token is stored; the link is used once, expires, and can be withdrawn
/// or replaced by a new one (re-sent). It is accepted only by an account whose verified address is the invited one, so a
/// forwarded link is of no use to anyone else. The version is a concurrency token: of two racing acceptances (or an
/// acceptance racing a withdrawal) exactly one saves.
/// </summary>
public sealed class TenantInvitation : AggregateRoot
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    private List<string> _roles = [];

    private TenantInvitation()
    {
        Email = null!;
        NormalizedEmail = null!;
        TokenHash = null!;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary>The address as the administrator typed it (the message goes there).</summary>
    public string Email { get; private set; }

    /// <summary>The address in <see cref="User.Normalize"/>d form: what an account's verified address must equal.</summary>
    public string NormalizedEmail { get; private set; }

    public IReadOnlyList<string> Roles => _roles;

    /// <summary>The SHA-256 of the current link's token (<see cref="OpaqueToken.HashOf"/>).</summary>
    public string TokenHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? AcceptedAt { get; private set; }

    public Guid? AcceptedBy { get; private set; }

    public DateTimeOffset? WithdrawnAt { get; private set; }

    /// <summary><c>open</c>, <c>accepted</c>, <c>withdrawn</c> or <c>expired</c> at <paramref name="now"/>.</summary>
    public string StateAt(DateTimeOffset now) =>
        AcceptedAt is not null ? "accepted" : WithdrawnAt is not null ? "withdrawn" : now >= ExpiresAt ? "expired" : "open";

    public bool IsOpenAt(DateTimeOffset now) => StateAt(now) == "open";

    /// <summary>A new invitation; granting <c>owner</c> needs an owner or the platform, as when adding a member directly.</summary>
    public static TenantInvitation Create(Guid id, Tenant tenant, string? email, IEnumerable<string>? roles, TenantActor actor, string tokenHash,
        TimeSpan lifetime, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(id == Guid.Empty, "id", "An invitation needs an id.");
        var address = email?.Trim();
        Guard.Against(string.IsNullOrEmpty(address), "email", "email is required.");
        User.ValidateEmail(address!);
        Guard.Against(!tenant.Policy.AllowsEmail(address), "email", "The tenant admits only addresses at its allowed e-mail domains.");
        var normalized = TenantRoles.Normalize(roles);
        Guard.Against(normalized.Contains(TenantRoles.Owner, StringComparer.Ordinal) && !actor.MayManageOwners, "roles",
            "Only an owner may grant the owner role.");
        RequireLifetime(lifetime);
        RequireHash(tokenHash);
        var invitation = new TenantInvitation
        {
            Id = id,
            TenantId = tenant.Id,
            Email = address!,
            NormalizedEmail = User.Normalize(address!),
            _roles = normalized,
            TokenHash = tokenHash,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        invitation.Raise(new TenantInvitationSent(tenant.Id, tenant.Slug, id, normalized, Resent: false, now));
        return invitation;
    }

    /// <summary>
    /// Whether <paramref name="user"/> may accept now into <paramref name="tenant"/> (nothing changes). The tenant's state and
    /// policy are read at every use, not when the invitation was sent: a tenant suspended since, or whose allowed e-mail
    /// domains no longer include the invited address, refuses the link.
    /// </summary>
    public TenantInvitationUse Check(Tenant tenant, User? user, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (tenant.Id != TenantId)
        {
            throw new InvalidOperationException("An invitation is checked against its own tenant.");
        }

        if (AcceptedAt is not null)
        {
            return TenantInvitationUse.AlreadyUsed;
        }

        if (WithdrawnAt is not null)
        {
            return TenantInvitationUse.Withdrawn;
        }

        if (now >= ExpiresAt)
        {
            return TenantInvitationUse.Expired;
        }

        if (tenant.Status == TenantStatus.Suspended)
        {
            return TenantInvitationUse.TenantSuspended;
        }

        if (!tenant.Policy.AllowsEmail(Email))
        {
            return TenantInvitationUse.DomainNotAllowed;
        }

        if (user is null)
        {
            return TenantInvitationUse.Usable;
        }

        // The link proves control of a mailbox only to whoever holds it; the account must show the same address, verified
        // (ASVS 6.4: an address counts once a message to it was answered), or a forwarded link would enrol someone else.
        return !string.Equals(user.NormalizedEmail, NormalizedEmail, StringComparison.Ordinal) ? TenantInvitationUse.WrongAccount
            : !user.EmailVerified ? TenantInvitationUse.EmailNotVerified
            : !tenant.Policy.Admits(user) ? TenantInvitationUse.DomainNotAllowed
            : TenantInvitationUse.Usable;
    }

    /// <summary>Whether <paramref name="tokenHash"/> is this invitation's current link (constant-time comparison of the hashes).</summary>
    public bool HasToken(string tokenHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(TokenHash), Encoding.ASCII.GetBytes(tokenHash));

    /// <summary>
    /// Accepts for <paramref name="user"/>: on <see cref="TenantInvitationUse.Usable"/> the invitation is used up and the new
    /// membership returned for the caller to add in the same save; otherwise nothing changes.
    /// </summary>
    public (TenantInvitationUse Use, TenantMembership? Membership) Accept(Tenant tenant, User user, Guid membershipId, DateTimeOffset now)
    {
        var use = Check(tenant, user, now);
        if (use != TenantInvitationUse.Usable)
        {
            return (use, null);
        }

        AcceptedAt = now;
        AcceptedBy = user.Id;
        Raise(new TenantInvitationAccepted(TenantId, tenant.Slug, Id, user.Id, now));
        return (use, TenantMembership.FromInvitation(membershipId, tenant, user.Id, _roles, now));
    }

    /// <summary>Withdraws an open invitation: its link no longer works. Refused once accepted or withdrawn.</summary>
    public void Withdraw(Tenant tenant, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        RequireOpenOrExpired();
        WithdrawnAt = now;
        Raise(new TenantInvitationWithdrawn(TenantId, tenant.Slug, Id, now));
    }

    /// <summary>
    /// A new link for an invitation not yet accepted or withdrawn (also an expired one): the earlier link stops working
    /// at once, since only the new token's hash is kept, and the lifetime starts again.
    /// </summary>
    public void Resend(Tenant tenant, string tokenHash, TimeSpan lifetime, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        RequireOpenOrExpired();
        RequireLifetime(lifetime);
        RequireHash(tokenHash);
        // The policy may have changed since the invitation was sent: a new link to an address it no longer admits is of no use.
        Guard.Against(!tenant.Policy.AllowsEmail(Email), "email", "The tenant admits only addresses at its allowed e-mail domains.");
        TokenHash = tokenHash;
        ExpiresAt = now + lifetime;
        Raise(new TenantInvitationSent(TenantId, tenant.Slug, Id, _roles, Resent: true, now));
    }

    private void RequireOpenOrExpired() =>
        Guard.Against(AcceptedAt is not null || WithdrawnAt is not null, "invitation", "The invitation was already accepted or withdrawn.");

    private static void RequireLifetime(TimeSpan lifetime) =>
        Guard.Against(lifetime <= TimeSpan.Zero || lifetime > MaxLifetime, "lifetime", "An invitation lives between a moment and 30 days.");

    private static void RequireHash(string tokenHash) =>
        Guard.Against(string.IsNullOrEmpty(tokenHash) || tokenHash.Length != OpaqueToken.HashLength, "token", "A token is stored as its SHA-256 hash.");
}

/// <summary>What presenting an invitation's link came to: only <see cref="Usable"/> lets it be accepted.</summary>
public enum TenantInvitationUse
{
    Usable,
    AlreadyUsed,
    Withdrawn,
    Expired,
    WrongAccount,
    EmailNotVerified,

    /// <summary>The tenant is suspended: nobody joins it until the platform reactivates it.</summary>
    TenantSuspended,

    /// <summary>The invited address (or the account's) is not at one of the tenant's allowed e-mail domains (any more).</summary>
    DomainNotAllowed,
}

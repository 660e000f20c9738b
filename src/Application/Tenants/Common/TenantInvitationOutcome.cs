using AuthService.Domain.Tenants;

namespace AuthService.Application.Tenants.Common;

/// <summary>What the invitation page shows or did (docs/adr/0038).</summary>
public abstract record TenantInvitationOutcome
{
    private TenantInvitationOutcome()
    {
    }

    /// <summary>The link is unknown (never issued, replaced by a re-send) or cannot be used; <see cref="Reason"/> is null for unknown.</summary>
    public sealed record Refused(TenantInvitationUse? Reason) : TenantInvitationOutcome;

    /// <summary>
    /// The link is good but nobody is signed in: the page asks the person to sign in with the account of <paramref name="Email"/>
    /// (the invited address) or to create one with it; <paramref name="RegistrationRefusal"/> is why the creation form is shown again.
    /// </summary>
    public sealed record SignInFirst(string TenantName, string Email, string? RegistrationRefusal = null) : TenantInvitationOutcome;

    /// <summary>An account was created for the invited address and joined the tenant, in one save.</summary>
    public sealed record Registered(string TenantName, IReadOnlyList<string> Roles, string Username) : TenantInvitationOutcome;

    /// <summary>Creating an account was asked for, but the invited address has one already: the person signs in with it instead.</summary>
    public sealed record AccountExists(string TenantName) : TenantInvitationOutcome;

    /// <summary>Too many registrations for this address or from this source (the registration throttle).</summary>
    public sealed record Throttled : TenantInvitationOutcome;

    /// <summary>The signed-in account may accept: the page shows the tenant and the roles with an accept button.</summary>
    public sealed record Ready(string TenantName, IReadOnlyList<string> Roles, string Username) : TenantInvitationOutcome;

    /// <summary>The signed-in account is a member of the tenant already: nothing to accept, the link stays unused.</summary>
    public sealed record AlreadyMember(string TenantName) : TenantInvitationOutcome;

    public sealed record Accepted(string TenantName, IReadOnlyList<string> Roles) : TenantInvitationOutcome;
}

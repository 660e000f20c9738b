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

    /// <summary>The link is good but nobody is signed in: the page asks the person to sign in (or register) and come back.</summary>
    public sealed record SignInFirst(string TenantName) : TenantInvitationOutcome;

    /// <summary>The signed-in account may accept: the page shows the tenant and the roles with an accept button.</summary>
    public sealed record Ready(string TenantName, IReadOnlyList<string> Roles, string Username) : TenantInvitationOutcome;

    /// <summary>The signed-in account is a member of the tenant already: nothing to accept, the link stays unused.</summary>
    public sealed record AlreadyMember(string TenantName) : TenantInvitationOutcome;

    public sealed record Accepted(string TenantName, IReadOnlyList<string> Roles) : TenantInvitationOutcome;
}

using AuthService.Application.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants;

namespace AuthService.Application.Tenants.Common;

/// <summary>
/// Resolves an invitation link on the page: the invitation by its token's hash, its tenant, and the account signed in in
/// this browser (if any), then what the page may offer. Shared by the page's GET (nothing changes) and its POST.
/// </summary>
public sealed class TenantInvitationLinks(
    ITenantInvitationRepository invitations, ITenantRepository tenants, ITenantMembershipRepository memberships, BrowserSessions sessions)
{
    public sealed record Resolved(TenantInvitation Invitation, Tenant Tenant, Domain.Users.User? User, TenantInvitationOutcome Outcome);

    public async Task<Resolved?> ResolveAsync(string? token, string? sessionHandle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (token is not { Length: > 0 and <= 64 })
        {
            return null;
        }

        var invitation = await invitations.FindByTokenHashAsync(OpaqueToken.HashOf(token), cancellationToken);
        var tenant = invitation is null ? null : await tenants.FindAsync(invitation.TenantId, cancellationToken);
        if (invitation is null || tenant is null)
        {
            return null;
        }

        var user = (await sessions.FindActiveAsync(sessionHandle, cancellationToken))?.User;
        var use = invitation.Check(tenant, user, now);
        TenantInvitationOutcome outcome = use != TenantInvitationUse.Usable ? new TenantInvitationOutcome.Refused(use)
            : user is null ? new TenantInvitationOutcome.SignInFirst(tenant.DisplayName, invitation.Email)
            : await memberships.FindAsync(tenant.Id, user.Id, cancellationToken) is not null ? new TenantInvitationOutcome.AlreadyMember(tenant.DisplayName)
            : new TenantInvitationOutcome.Ready(tenant.DisplayName, invitation.Roles, user.Username);
        return new Resolved(invitation, tenant, user, outcome);
    }
}

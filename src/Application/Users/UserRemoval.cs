using AuthService.Application.Logout;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants;
using AuthService.Domain.Users;

namespace AuthService.Application.Users;

/// <summary>
/// How a user is deleted with everything issued to them (ASVS 7.4.2), in the two steps every deletion takes: the refresh
/// token families revoked first (each commits on its own, repeating it is harmless), then, inside the caller's
/// transaction, the logout notifications written, the grants and tenant memberships deleted and the user removed in one save. Shared by
/// <c>DeleteUser</c> and <c>WithdrawInvitation</c>, so a withdrawn invitation leaves exactly what a deletion leaves.
/// </summary>
public sealed class UserRemoval(
    IUserRepository users, GrantCleanup grants, LogoutPropagation logout, ITenantMembershipRepository memberships, ITenantRepository tenants, IUnitOfWork unitOfWork)
{
    public const string RevocationReason = "user_deleted";

    /// <summary>Step 1, before the transaction: revoke the user's refresh token families, denylisting their access tokens.</summary>
    public Task RevokeGrantsAsync(Guid userId, CancellationToken cancellationToken) =>
        grants.RevokeGrantsAsync(userId, clientId: null, RevocationReason, cancellationToken);

    /// <summary>Step 2, inside the transaction, on the user read again there: notifications, grants and the user go in one save.</summary>
    public async Task<SaveResult> RemoveAsync(User current, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Read before the sessions are deleted; stored in the same transaction (Back-Channel Logout 1.0 §2.5).
        await logout.EnqueueForUserAsync(current.Id, current.SecurityStamp, LogoutPropagation.ReasonUserDeleted, now, cancellationToken);
        await grants.DeleteGrantsAsync(current.Id, clientId: null, cancellationToken);
        await RemoveMembershipsAsync(current.Id, now, cancellationToken);
        current.Delete(now);
        users.Remove(current);
        return await unitOfWork.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The user's tenant memberships go in the same save, each as its own audited removal (docs/adr/0038), so downstream
    /// services hear that the person left every tenant (the foreign key's cascade is only the store's safety net).
    /// </summary>
    private async Task RemoveMembershipsAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var own = await memberships.ListByUserAsync(userId, cancellationToken);
        var byId = (await tenants.FindManyAsync([.. own.Select(m => m.TenantId).Distinct()], cancellationToken)).ToDictionary(t => t.Id);
        foreach (var membership in own)
        {
            membership.RemoveWithUser(byId[membership.TenantId], now);
            memberships.Remove(membership);
        }
    }
}

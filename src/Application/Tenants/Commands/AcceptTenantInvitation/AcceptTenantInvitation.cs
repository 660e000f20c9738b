using AuthService.Application.Tenants.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants;
using MediatR;

namespace AuthService.Application.Tenants.Commands.AcceptTenantInvitation;

/// <summary>
/// The signed-in person accepts an invitation (docs/adr/0038): only an account whose verified address is the invited one;
/// the link is used up and the membership added in one save. A second use of the link, or two racing uses, find it used
/// (the invitation's version is its concurrency token); a membership added meanwhile by an administrator trips the unique
/// (tenant, user) index and the person is told they are a member already.
/// </summary>
public sealed record AcceptTenantInvitation(string? Token, string? SessionHandle) : IRequest<TenantInvitationOutcome>
{
    public override string ToString() => "AcceptTenantInvitation { Token = (redacted) }";
}

public sealed class AcceptTenantInvitationHandler(
    TenantInvitationLinks links, ITenantMembershipRepository memberships, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<AcceptTenantInvitation, TenantInvitationOutcome>
{
    public async Task<TenantInvitationOutcome> Handle(AcceptTenantInvitation request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var resolved = await links.ResolveAsync(request.Token, request.SessionHandle, now, cancellationToken);
        if (resolved is not { Outcome: TenantInvitationOutcome.Ready, User: { } user })
        {
            return resolved?.Outcome ?? new TenantInvitationOutcome.Refused(null);
        }

        var (use, membership) = resolved.Invitation.Accept(resolved.Tenant, user, Guid.NewGuid(), now);
        if (membership is null)
        {
            return new TenantInvitationOutcome.Refused(use);
        }

        memberships.Add(membership);
        return await unitOfWork.SaveChangesAsync(cancellationToken) switch
        {
            SaveResult.Saved => new TenantInvitationOutcome.Accepted(resolved.Tenant.DisplayName, membership.Roles),
            SaveResult.UniquenessConflict => new TenantInvitationOutcome.AlreadyMember(resolved.Tenant.DisplayName),
            _ => new TenantInvitationOutcome.Refused(TenantInvitationUse.AlreadyUsed),
        };
    }
}

using AuthService.Application.Common.Exceptions;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Common;
using MediatR;

namespace AuthService.Application.Tenants.Commands.WithdrawTenantInvitation;

/// <summary>
/// Withdraws an invitation not yet accepted: its link stops working; the record stays (listed as <c>withdrawn</c>). An
/// accepted or already withdrawn one is a 409 (remove the member instead). An acceptance racing the withdrawal moves the
/// same version: one of the two saves conflicts.
/// </summary>
public sealed record WithdrawTenantInvitation(Guid TenantId, Guid InvitationId, int? ExpectedVersion, TenantCaller Caller) : IRequest<Unit>;

public sealed class WithdrawTenantInvitationHandler(TenantAdministration administration, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<WithdrawTenantInvitation, Unit>
{
    public async Task<Unit> Handle(WithdrawTenantInvitation request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (tenant, _) = await administration.OpenAsync(request.TenantId, request.Caller, cancellationToken);
        var invitation = await administration.FindPendingInvitationAsync(tenant, request.InvitationId, request.ExpectedVersion, now, cancellationToken);
        invitation.Withdraw(tenant, now);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}

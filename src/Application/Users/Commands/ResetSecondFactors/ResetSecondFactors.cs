using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Common;
using AuthService.Domain.SecondFactors;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Users.Commands.ResetSecondFactors;

/// <summary>An administrator removes a user's authenticator app and backup codes (the person lost both); 404 for an unknown user.</summary>
public sealed record ResetSecondFactors(Guid UserId) : IRequest<Unit>;

/// <summary>
/// Removes the second factors, audited as <c>user.second_factor_removed</c> with reason <c>admin_reset</c>. The user
/// then signs in with the password alone and may enrol again. A user without second factors is left as is (204 too:
/// the outcome the administrator asked for holds).
/// </summary>
public sealed class ResetSecondFactorsHandler(IUserRepository users, ISecondFactorEnrolmentRepository enrolments, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<ResetSecondFactors, Unit>
{
    public async Task<Unit> Handle(ResetSecondFactors request, CancellationToken cancellationToken)
    {
        await users.GetAsync(request.UserId, cancellationToken);
        if (await enrolments.FindByUserIdAsync(request.UserId, cancellationToken) is { } enrolment
            && enrolment.Remove(SecondFactorEnrolment.RemovedByAdministrator, clock.GetUtcNow()))
        {
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        }

        return Unit.Value;
    }
}

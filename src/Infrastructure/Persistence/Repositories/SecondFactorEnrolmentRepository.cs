using AuthService.Domain.SecondFactors;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class SecondFactorEnrolmentRepository(AuthDbContext db) : ISecondFactorEnrolmentRepository
{
    public Task<SecondFactorEnrolment?> FindByUserIdAsync(Guid userId, CancellationToken cancellationToken) =>
        db.SecondFactorEnrolments.SingleOrDefaultAsync(e => e.UserId == userId, cancellationToken);

    public void Add(SecondFactorEnrolment enrolment) => db.SecondFactorEnrolments.Add(enrolment);
}

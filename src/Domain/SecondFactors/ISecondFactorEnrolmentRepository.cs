namespace AuthService.Domain.SecondFactors;

public interface ISecondFactorEnrolmentRepository
{
    Task<SecondFactorEnrolment?> FindByUserIdAsync(Guid userId, CancellationToken cancellationToken);

    void Add(SecondFactorEnrolment enrolment);
}

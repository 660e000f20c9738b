namespace AuthService.Domain.SecondFactors;

/// <summary>
/// The RFC 6238 code of one time step, computed from the decrypted secret. The secret never enters the domain: the
/// infrastructure decrypts it and computes the HMAC; the aggregate chooses the steps and keeps the replay rule.
/// </summary>
public interface ITotpCodes
{
    string CodeAt(long timeStep);
}

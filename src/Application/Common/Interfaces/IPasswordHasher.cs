namespace AuthService.Application.Common.Interfaces;

public enum PasswordVerification
{
    Failed = 0,
    Success = 1,

    /// <summary>Correct, but hashed with weaker parameters than today's: store a fresh hash.</summary>
    SuccessRehashNeeded = 2,
}

/// <summary>Slow, salted password hashing in a versioned format (docs/adr/0010).</summary>
public interface IPasswordHasher
{
    string Hash(string password);

    PasswordVerification Verify(string passwordHash, string password);
}

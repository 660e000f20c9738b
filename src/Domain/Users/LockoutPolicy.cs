namespace AuthService.Domain.Users;

/// <summary>
/// How failed sign-ins lock an account: after <see cref="MaxFailedAttempts"/> failures the account is
/// locked for <see cref="BaseLockout"/>, doubling with each further failure up to <see cref="MaxLockout"/>.
/// Always temporary, so an attacker cannot lock a victim out for good (ASVS 6.1.1; GHSA-cq42-vhv7-xr7p).
/// </summary>
public sealed record LockoutPolicy(int MaxFailedAttempts, TimeSpan BaseLockout, TimeSpan MaxLockout)
{
    public static readonly LockoutPolicy Default = new(5, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));

    public TimeSpan LockoutFor(int failedAttempts)
    {
        if (failedAttempts < MaxFailedAttempts)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(failedAttempts - MaxFailedAttempts, 16);
        var lockout = BaseLockout * Math.Pow(2, doublings);
        return lockout > MaxLockout ? MaxLockout : lockout;
    }
}

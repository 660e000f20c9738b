using AuthService.Domain.Common;

namespace AuthService.Application.Common.Exceptions;

/// <summary>Optimistic concurrency of admin writes: the caller names the version it read (HTTP <c>If-Match</c>).</summary>
public static class Concurrency
{
    /// <summary>Throws <see cref="PreconditionFailedException"/> when <paramref name="expected"/> is given and differs from <paramref name="current"/>.</summary>
    public static void Check(int current, int? expected)
    {
        if (expected is { } version && version != current)
        {
            throw new PreconditionFailedException($"The resource is at version {current}; If-Match named another. Read it again and retry.");
        }
    }

    /// <summary>
    /// Refuses the request with <see cref="ConflictException"/> when its save lost a race: for writes whose only
    /// sensible answer to a conflict is "read again and retry" (the admin API, one-off writes).
    /// </summary>
    public static void ThrowIfConflict(this SaveResult result)
    {
        if (result != SaveResult.Saved)
        {
            throw new ConflictException(result);
        }
    }
}

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
}

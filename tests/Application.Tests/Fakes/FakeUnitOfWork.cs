using AuthService.Domain.Common;

namespace AuthService.Application.Tests.Fakes;

internal sealed class FakeUnitOfWork : IUnitOfWork
{
    public int Saves { get; private set; }

    /// <summary>When set, every save attempt throws it (after being counted in <see cref="Attempts"/>).</summary>
    public Exception? FailWith { get; set; }

    public int Attempts { get; private set; }

    public Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        Attempts++;
        if (FailWith is not null)
        {
            return Task.FromException(FailWith);
        }

        Saves++;
        return Task.CompletedTask;
    }
}

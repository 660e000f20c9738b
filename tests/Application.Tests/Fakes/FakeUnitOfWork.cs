using AuthService.Domain.Common;

namespace AuthService.Application.Tests.Fakes;

internal sealed class FakeUnitOfWork : IUnitOfWork
{
    public int Saves { get; private set; }

    /// <summary>When set, every save attempt throws it (after being counted in <see cref="Attempts"/>).</summary>
    public Exception? FailWith { get; set; }

    public int Attempts { get; private set; }

    /// <summary>Called at every successful save (before it is counted), to capture what is being saved.</summary>
    public Action? OnSave { get; set; }

    public Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        Attempts++;
        if (FailWith is not null)
        {
            return Task.FromException(FailWith);
        }

        OnSave?.Invoke();
        Saves++;
        return Task.CompletedTask;
    }

    /// <summary>Transactions run and committed, and the saves each one made.</summary>
    public List<int> CommittedTransactions { get; } = [];

    public async Task ExecuteInTransactionAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var savesBefore = Saves;
        await work(cancellationToken);
        CommittedTransactions.Add(Saves - savesBefore);
    }
}

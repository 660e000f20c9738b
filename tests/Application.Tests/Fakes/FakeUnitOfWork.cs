using AuthService.Domain.Common;

namespace AuthService.Application.Tests.Fakes;

internal sealed class FakeUnitOfWork : IUnitOfWork
{
    public int Saves { get; private set; }

    /// <summary>When set, every save attempt throws it (after being counted in <see cref="Attempts"/>): the store failed.</summary>
    public Exception? FailWith { get; set; }

    /// <summary>When set, every save attempt loses this race (after being counted in <see cref="Attempts"/>).</summary>
    public SaveResult? ConflictWith { get; set; }

    public int Attempts { get; private set; }

    /// <summary>Called at every save that neither fails nor conflicts (before it is counted), to capture what is being saved.</summary>
    public Action? OnSave { get; set; }

    /// <summary>
    /// Called at every save that does not fail (before <see cref="OnSave"/>): a race test returns a conflict to say that a
    /// concurrent writer won this save (after changing the stored state as the winner would).
    /// </summary>
    public Func<SaveResult>? RaceOnSave { get; set; }

    public Task<SaveResult> SaveChangesAsync(CancellationToken cancellationToken)
    {
        Attempts++;
        if (FailWith is not null)
        {
            return Task.FromException<SaveResult>(FailWith);
        }

        if (ConflictWith is { } conflict)
        {
            return Task.FromResult(conflict);
        }

        if (RaceOnSave?.Invoke() is { } lost and not SaveResult.Saved)
        {
            return Task.FromResult(lost);
        }

        OnSave?.Invoke();
        Saves++;
        return Task.FromResult(SaveResult.Saved);
    }

    /// <summary>Transactions run and committed, and the saves each one made.</summary>
    public List<int> CommittedTransactions { get; } = [];

    public async Task<SaveResult> ExecuteInTransactionAsync(Func<CancellationToken, Task<SaveResult>> work, CancellationToken cancellationToken)
    {
        var savesBefore = Saves;
        var result = await work(cancellationToken);
        if (result == SaveResult.Saved)
        {
            CommittedTransactions.Add(Saves - savesBefore);
        }

        return result;
    }
}

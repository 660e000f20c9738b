namespace AuthService.Domain.Common;

/// <summary>
/// Base of every aggregate: a version used as an optimistic concurrency token and the domain
/// events raised since the aggregate was loaded. Events are dispatched only after a successful save.
/// </summary>
public abstract class AggregateRoot
{
    private readonly List<IDomainEvent> _domainEvents = [];

    /// <summary>Incremented on every saved change; a stale version makes the save fail.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents;

    protected void Raise(IDomainEvent domainEvent) => _domainEvents.Add(domainEvent);

    public void ClearDomainEvents() => _domainEvents.Clear();

    /// <summary>Called by persistence when the aggregate is saved as modified.</summary>
    public void IncrementVersion() => Version++;
}

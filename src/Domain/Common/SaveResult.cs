namespace AuthService.Domain.Common;

/// <summary>
/// What a save came to. A lost race is an expected outcome of optimistic concurrency, not an error: the caller
/// decides what it means (run the use case again on fresh state, <c>invalid_grant</c>, a 409 for the admin API).
/// After a conflict nothing of the unit of work was stored and nothing of it is tracked any more.
/// </summary>
public enum SaveResult
{
    Saved,

    /// <summary>Another writer changed an aggregate of the unit since it was read (its version moved on).</summary>
    ConcurrencyConflict,

    /// <summary>The save would duplicate a value the store keeps unique (e.g. one active key per algorithm).</summary>
    UniquenessConflict,
}

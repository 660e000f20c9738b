using AuthService.Domain.Common;

namespace AuthService.Application.Common.Exceptions;

/// <summary>
/// A request refused because its save lost a race (<see cref="SaveResult"/>) and the use case has no better
/// answer than asking the caller to read again: 409, or 412 under <c>If-Match</c>, for the admin API.
/// </summary>
public sealed class ConflictException(SaveResult conflict)
    : Exception(conflict == SaveResult.UniquenessConflict
        ? "The change conflicts with a unique value already stored."
        : "The aggregate was changed by another writer.")
{
    public SaveResult Conflict { get; } = conflict;
}

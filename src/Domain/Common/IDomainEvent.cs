namespace AuthService.Domain.Common;

/// <summary>
/// A past-tense fact about an aggregate. Carries ids, never secrets.
/// </summary>
public interface IDomainEvent
{
    DateTimeOffset OccurredAt { get; }
}

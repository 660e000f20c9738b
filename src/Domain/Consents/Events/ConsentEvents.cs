using AuthService.Domain.Common;

namespace AuthService.Domain.Consents.Events;

public sealed record ConsentGranted(Guid UserId, string ClientId, DateTimeOffset OccurredAt) : IDomainEvent;

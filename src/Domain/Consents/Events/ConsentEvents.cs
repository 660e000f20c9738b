using AuthService.Domain.Common;

namespace AuthService.Domain.Consents.Events;

public sealed record ConsentGranted(Guid UserId, string ClientId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>An administrator withdrew the consent; the user's refresh-token families for the client are revoked with it.</summary>
public sealed record ConsentRevoked(Guid UserId, string ClientId, DateTimeOffset OccurredAt) : IDomainEvent;

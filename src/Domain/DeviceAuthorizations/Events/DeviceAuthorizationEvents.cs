using AuthService.Domain.Common;

namespace AuthService.Domain.DeviceAuthorizations.Events;

/// <summary>A device asked for authorization (RFC 8628 §3.1, §3.2).</summary>
public sealed record DeviceAuthorizationRequested(string DeviceCodeHash, string ClientId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>The person allowed the device (RFC 8628 §3.3).</summary>
public sealed record DeviceAuthorizationApproved(string DeviceCodeHash, string ClientId, Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>The person denied the device (RFC 8628 §3.3).</summary>
public sealed record DeviceAuthorizationDenied(string DeviceCodeHash, string ClientId, Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>The device code was exchanged for tokens, once (RFC 8628 §3.5).</summary>
public sealed record DeviceAuthorizationRedeemed(string DeviceCodeHash, string ClientId, Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

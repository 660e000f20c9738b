namespace AuthService.Domain.Common;

/// <summary>Another writer changed the aggregate since it was read (optimistic concurrency).</summary>
public sealed class ConcurrencyConflictException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The save would break a uniqueness rule the store enforces (e.g. one active key per algorithm).</summary>
public sealed class UniquenessConflictException(string message, Exception? inner = null) : Exception(message, inner);

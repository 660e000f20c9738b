namespace AuthService.Application.Common.Exceptions;

/// <summary>
/// The request cannot be served right now but may be shortly (no signing key loaded for an algorithm,
/// for example just after an emergency revocation). Mapped to 503 with Retry-After.
/// </summary>
public sealed class TemporarilyUnavailableException(string message) : Exception(message);

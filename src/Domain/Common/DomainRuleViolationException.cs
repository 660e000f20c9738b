namespace AuthService.Domain.Common;

/// <summary>
/// An aggregate refused an operation that would break one of its invariants. <see cref="Field"/>
/// names the offending input (RFC 7591 metadata name where there is one) so callers can report it.
/// The message never contains secret values.
/// </summary>
public sealed class DomainRuleViolationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

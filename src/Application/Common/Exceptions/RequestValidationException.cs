namespace AuthService.Application.Common.Exceptions;

/// <summary>A command or query failed its FluentValidation rules. Errors name the field; they never carry secret values.</summary>
public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("One or more validation rules failed: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>One field refused with one message, e.g. a transition the aggregate reported as changing nothing.</summary>
    public static RequestValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

namespace AuthService.Application.Common.Exceptions;

/// <summary>A command or query failed its FluentValidation rules. Errors name the field; they never carry secret values.</summary>
public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("One or more validation rules failed: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

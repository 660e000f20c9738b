using System.Diagnostics.CodeAnalysis;

namespace AuthService.Application.Common.Protocol;

/// <summary>Either the value of a successful protocol operation or the <see cref="OAuthError"/> it ended with.</summary>
public readonly struct ProtocolResult<T>
{
    private ProtocolResult(T? value, OAuthError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public OAuthError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static ProtocolResult<T> Success(T value) => new(value, null);

    public static ProtocolResult<T> Failure(OAuthError error) => new(default, error);

    public static implicit operator ProtocolResult<T>(T value) => Success(value);

    public static implicit operator ProtocolResult<T>(OAuthError error) => Failure(error);
}

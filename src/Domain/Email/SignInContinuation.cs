using AuthService.Domain.Common;

namespace AuthService.Domain.Email;

/// <summary>What a sign-in link asked for on a protocol page continues once it is used.</summary>
public enum SignInContinuationKind
{
    /// <summary>An authorization request of the code flow (RFC 6749 §4.1.1), as its sign-in page carried it.</summary>
    Authorization = 1,

    /// <summary>A device authorization's verification page (RFC 8628 §3.3).</summary>
    Device = 2,
}

/// <summary>
/// Where a sign-in link leads after it signs in, stored with the link's token on the server, never in the link (the link
/// carries the token alone: RFC 9700 §4.11.2, no open redirect): the authorization request exactly as the sign-in form's
/// hidden <c>request</c> field carried it (the parameters as a query string; a pushed or signed request travels there
/// sealed, beside <c>client_id</c>), which is validated again when the link is used; or the device authorization by its
/// key (the SHA-256 of its device code), or none when the device page had no code yet.
/// </summary>
public sealed record SignInContinuation
{
    /// <summary>The longest carried request (the authorization endpoint's own query limit).</summary>
    public const int MaxRequestLength = 16 * 1024;

    private SignInContinuation(SignInContinuationKind kind, string? request, string? deviceCodeHash)
    {
        Kind = kind;
        Request = request;
        DeviceCodeHash = deviceCodeHash;
    }

    public SignInContinuationKind Kind { get; }

    /// <summary>The carried authorization request (<see cref="SignInContinuationKind.Authorization"/> only).</summary>
    public string? Request { get; }

    /// <summary>The device authorization's key (<see cref="SignInContinuationKind.Device"/> only; null: the page had no code).</summary>
    public string? DeviceCodeHash { get; }

    public static SignInContinuation Authorization(string request)
    {
        Guard.Against(string.IsNullOrEmpty(request) || request.Length > MaxRequestLength, "request", "An authorization request of at most 16 KiB is carried.");
        return new SignInContinuation(SignInContinuationKind.Authorization, request, null);
    }

    public static SignInContinuation Device(string? deviceCodeHash)
    {
        Guard.Against(deviceCodeHash is not null && deviceCodeHash.Length != OpaqueToken.HashLength, "device_code",
            "A device authorization is named by its device code's SHA-256.");
        return new SignInContinuation(SignInContinuationKind.Device, null, deviceCodeHash);
    }

    /// <summary>The stored columns back as a continuation; null when none was stored.</summary>
    public static SignInContinuation? From(SignInContinuationKind? kind, string? request, string? deviceCodeHash) => kind switch
    {
        SignInContinuationKind.Authorization when request is not null => Authorization(request),
        SignInContinuationKind.Device => Device(deviceCodeHash),
        _ => null,
    };
}

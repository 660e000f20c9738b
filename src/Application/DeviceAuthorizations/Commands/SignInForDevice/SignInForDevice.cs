using AuthService.Application.SignIn.Commands.SignIn;
using MediatR;

namespace AuthService.Application.DeviceAuthorizations.Commands.SignInForDevice;

/// <summary>The verification page's sign-in form, posted with the user code the person came with (if any).</summary>
public sealed record SignInForDevice(string? Username, string? Password, string? UserCode, string? CurrentSessionHandle, string? RemoteAddress,
    string? UserAgent = null)
    : IRequest<DevicePageOutcome>
{
    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"SignInForDevice {{ Username = {Username} }}";
}

/// <summary>Signs in exactly as the authorization flow's sign-in does (<see cref="PasswordSignIn"/>), then back to the code.</summary>
public sealed class SignInForDeviceHandler(PasswordSignIn passwords) : IRequestHandler<SignInForDevice, DevicePageOutcome>
{
    public async Task<DevicePageOutcome> Handle(SignInForDevice request, CancellationToken cancellationToken)
    {
        var result = await passwords.SignInAsync(request.Username, request.Password, request.CurrentSessionHandle, request.RemoteAddress, request.UserAgent,
            clientId: null, cancellationToken);
        return result switch
        {
            { SessionHandle: { } handle } => new DevicePageOutcome.SignedIn(handle, request.UserCode),
            { PendingHandle: { } pending } => new DevicePageOutcome.ShowSecondFactor(request.UserCode, pending, Failed: false, RetryAfter: null),
            _ => new DevicePageOutcome.ShowLogin(request.UserCode, request.Username, Failed: true, result.RetryAfter),
        };
    }
}

using AuthService.Application.SignIn;
using MediatR;

namespace AuthService.Application.DeviceAuthorizations.Commands.SignInForDeviceWithSecondFactor;

/// <summary>The verification page's second-factor form, posted with the user code the person came with (if any).</summary>
public sealed record SignInForDeviceWithSecondFactor(SecondFactorProof Proof, string? UserCode, string? PendingHandle, string? CurrentSessionHandle, string? RemoteAddress,
    string? UserAgent = null) : IRequest<DevicePageOutcome>
{
    /// <summary>Never prints the code, the assertion or the handles.</summary>
    public override string ToString() => "SignInForDeviceWithSecondFactor { (code redacted) }";
}

/// <summary>Finishes the sign-in exactly as the authorization flow's second step does (<see cref="SecondFactorSignIn"/>), then back to the code.</summary>
public sealed class SignInForDeviceWithSecondFactorHandler(SecondFactorSignIn secondFactors)
    : IRequestHandler<SignInForDeviceWithSecondFactor, DevicePageOutcome>
{
    public async Task<DevicePageOutcome> Handle(SignInForDeviceWithSecondFactor request, CancellationToken cancellationToken)
    {
        var result = await secondFactors.CompleteAsync(request.PendingHandle, request.Proof, request.CurrentSessionHandle, request.RemoteAddress,
            request.UserAgent, cancellationToken);
        return result switch
        {
            { SessionHandle: { } handle } => new DevicePageOutcome.SignedIn(handle, request.UserCode),
            { PendingHandle: { } pending } => new DevicePageOutcome.ShowSecondFactor(request.UserCode, pending, Failed: true, result.RetryAfter),
            _ => new DevicePageOutcome.ShowLogin(request.UserCode, Username: null, Failed: true, result.RetryAfter),
        };
    }
}

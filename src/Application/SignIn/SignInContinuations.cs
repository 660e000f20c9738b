using AuthService.Application.Authorization;
using AuthService.Application.DeviceAuthorizations;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Domain.DeviceAuthorizations;

namespace AuthService.Application.SignIn;

/// <summary>
/// Where a sign-in that continues a stored flow leads once its first step is done (a sign-in link, docs/adr/0033; an
/// upstream round trip, docs/adr/0037): signed in, back to the authorization endpoint with the request (its sign-in
/// prompts satisfied), as after the password form, or to the device's page; waiting for the second factor, that flow's
/// second step.
/// </summary>
public sealed class SignInContinuations(IDeviceAuthorizationRepository devices, TimeProvider clock)
{
    public static InteractionOutcome Authorization(AuthorizationRequest authorization, PasswordSignInResult signIn) =>
        signIn.SessionHandle is { } handle
            ? new InteractionOutcome.Continue(authorization.ParametersWithout(Prompts.Login, Prompts.SelectAccount), handle)
            : new InteractionOutcome.ShowSecondFactor(authorization, signIn.PendingHandle!, Failed: false, RetryAfter: null);

    /// <summary>The device page, with the user code of the device authorization <paramref name="deviceCodeHash"/> while it awaits a decision (else the code form).</summary>
    public async Task<DevicePageOutcome> DeviceAsync(string? deviceCodeHash, PasswordSignInResult signIn, CancellationToken cancellationToken)
    {
        var userCode = deviceCodeHash is not null && await devices.FindAsync(deviceCodeHash, cancellationToken) is { } device && device.AwaitsDecision(clock.GetUtcNow())
            ? UserCode.Display(device.UserCode)
            : null;
        return signIn.SessionHandle is { } handle
            ? new DevicePageOutcome.SignedIn(handle, userCode)
            : new DevicePageOutcome.ShowSecondFactor(userCode, signIn.PendingHandle!, Failed: false, RetryAfter: null);
    }
}

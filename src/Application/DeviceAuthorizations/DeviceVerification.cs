using AuthService.Application.Authorization;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Application.SignIn;
using AuthService.Domain.DeviceAuthorizations;
using AuthService.Domain.Resources;
using AuthService.Domain.Sessions;

namespace AuthService.Application.DeviceAuthorizations;

/// <summary>What the verification page shows next (RFC 8628 §3.3).</summary>
public abstract record DevicePageOutcome
{
    private DevicePageOutcome()
    {
    }

    /// <summary>The form to type the user code in; after a wrong or expired code, <paramref name="Failed"/>; when throttled, how long to wait.</summary>
    public sealed record EnterCode(bool Failed, TimeSpan? RetryAfter) : DevicePageOutcome;

    /// <summary>No signed-in session: the sign-in form, which comes back to the code afterwards.</summary>
    public sealed record ShowLogin(string? UserCode, string? Username, bool Failed, TimeSpan? RetryAfter) : DevicePageOutcome;

    /// <summary>The password was right and the account has a second factor: the second-factor form (the pending sign-in's cookie value).</summary>
    public sealed record ShowSecondFactor(string? UserCode, string PendingHandle, bool Failed, TimeSpan? RetryAfter) : DevicePageOutcome
    {
        /// <summary>Never prints the handle.</summary>
        public override string ToString() => $"ShowSecondFactor {{ Failed = {Failed} }}";
    }

    /// <summary>The decision: which client asks for what, for whom (RFC 8628 §5.4: a person must be able to tell).</summary>
    public sealed record ShowConsent(DeviceConsent Consent) : DevicePageOutcome;

    /// <summary>Signed in: back to the page, with the code the person came with.</summary>
    public sealed record SignedIn(string SessionHandle, string? UserCode) : DevicePageOutcome;

    /// <summary>Decided: the person may return to the device.</summary>
    public sealed record Decided(bool Allowed) : DevicePageOutcome;

    /// <summary>
    /// The client needs a second factor and the person has none: the authorization was denied for them, so the device's
    /// poll gets <c>access_denied</c> (RFC 8628 §3.5), and the page says why.
    /// </summary>
    public sealed record SecondFactorMissing : DevicePageOutcome;
}

/// <summary>The consent shown for one device authorization.</summary>
public sealed record DeviceConsent(
    ClientSnapshot Client, string UserCode, IReadOnlyList<string> Scopes, IReadOnlyList<RequestedResource> Resources, string UserDisplayName);

/// <summary>
/// The checks every step of the verification page shares: a signed-in session, and the user code. A code is looked up
/// only when the address is not throttled; a code that is malformed, unknown, expired or already decided counts as a
/// failure of that address (RFC 8628 §5.1: user codes are short, guessing is rate limited).
/// </summary>
public sealed class DeviceVerification(
    BrowserSessions sessions,
    IDeviceAuthorizationRepository authorizations,
    IUserCodeThrottle throttle,
    SecondFactorStep secondFactor,
    TimeProvider clock)
{
    public Task<ActiveSession?> SessionAsync(string? handle, CancellationToken cancellationToken) => sessions.FindActiveAsync(handle, cancellationToken);

    /// <summary>The pending authorization the code names, or the page to show instead.</summary>
    public async Task<(DeviceAuthorization? Authorization, DevicePageOutcome? Refusal)> FindPendingAsync(
        string? userCode, string? remoteAddress, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userCode))
        {
            return (null, new DevicePageOutcome.EnterCode(Failed: false, RetryAfter: null));
        }

        if (throttle.RetryAfter(remoteAddress) is { } wait)
        {
            return (null, new DevicePageOutcome.EnterCode(Failed: true, wait));
        }

        var normalised = UserCode.Normalise(userCode);
        var authorization = normalised is null ? null : await authorizations.FindByUserCodeAsync(normalised, cancellationToken);
        if (authorization is null || !authorization.AwaitsDecision(clock.GetUtcNow()))
        {
            throttle.RecordFailure(remoteAddress);
            return (null, new DevicePageOutcome.EnterCode(Failed: true, RetryAfter: null));
        }

        return (authorization, null);
    }

    /// <summary>
    /// The client's policy (<c>require_mfa</c>, or <c>default_acr_values</c> asking for the mfa level: a device authorization
    /// request carries no <c>acr_values</c> of its own, RFC 8628 §3.1) met by the session, as <see cref="AcrPolicy"/> decides
    /// for the code flow. When it is not: a person with a second factor is asked for it only, and the session is raised
    /// in place (the step-up of the authorization endpoint, docs/adr/0032); a person without one cannot meet it, so the
    /// authorization is denied for them (<see cref="DevicePageOutcome.SecondFactorMissing"/>). Null when the session is
    /// enough. The caller saves.
    /// </summary>
    public async Task<DevicePageOutcome?> RequireClientPolicyAsync(
        ActiveSession session, ClientSnapshot client, DeviceAuthorization authorization, string? userCode, CancellationToken cancellationToken)
    {
        if (AcrPolicy.Of(client.RequireMfa, client.DefaultAcrValues, [], null) != AcrRequirement.MultipleFactors
            || session.Session.Acr == AuthenticationMethods.AcrMfa)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (!await secondFactor.IsRequiredForAsync(session.User.Id, cancellationToken))
        {
            authorization.Deny(session.User, session.Session.Id, session.Session.AuthenticatedAt, now);
            return new DevicePageOutcome.SecondFactorMissing();
        }

        var handle = secondFactor.BeginStepUp(session.User, client.ClientId, now, session.Session);
        return new DevicePageOutcome.ShowSecondFactor(userCode, handle, Failed: false, RetryAfter: null);
    }
}

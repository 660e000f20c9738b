using AuthService.Application.Authorization;
using AuthService.Application.Authorization.Requests;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.Passkeys;
using AuthService.Domain.Sessions;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Passkeys.Commands;

/// <summary>
/// Starts a passwordless sign-in: a ceremony with no user and no allowCredentials (discoverable credentials), user verification
/// required; <see cref="CeremonyStart.Throttled"/> beyond the address's limit (the page is public: anyone can ask).
/// </summary>
public sealed record BeginPasskeySignIn(string? RemoteAddress) : IRequest<CeremonyStart>;

public sealed class BeginPasskeySignInHandler(PasskeyCeremonies ceremonies, IWebAuthn webAuthn, IUnitOfWork unitOfWork)
    : IRequestHandler<BeginPasskeySignIn, CeremonyStart>
{
    public async Task<CeremonyStart> Handle(BeginPasskeySignIn request, CancellationToken cancellationToken)
    {
        if (ceremonies.Throttle(request.RemoteAddress) is { } throttled)
        {
            return throttled;
        }

        var (handle, challenge) = ceremonies.Begin(PasskeyCeremony.SignIn, userId: null);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new BegunCeremony(handle, webAuthn.RequestOptions(challenge, [], requireUserVerification: true));
    }
}

/// <summary>The authenticator's assertion for a passwordless sign-in to the account page.</summary>
public sealed record SignInWithPasskey(string? CeremonyHandle, string? AssertionJson, string? CurrentSessionHandle, string? RemoteAddress, string? UserAgent)
    : IRequest<PasswordSignInResult>
{
    public override string ToString() => "SignInWithPasskey { (handles redacted) }";
}

public sealed class SignInWithPasskeyHandler(PasskeySignIn passkeys) : IRequestHandler<SignInWithPasskey, PasswordSignInResult>
{
    public Task<PasswordSignInResult> Handle(SignInWithPasskey request, CancellationToken cancellationToken) =>
        passkeys.SignInAsync(request.CeremonyHandle, request.AssertionJson, request.CurrentSessionHandle, request.RemoteAddress, request.UserAgent,
            clientId: null, cancellationToken);
}

/// <summary>The passwordless sign-in of the authorization flow, posted with the authorization request it belongs to.</summary>
public sealed record AuthorizeWithPasskey(
    IReadOnlyDictionary<string, string> Parameters, string? CeremonyHandle, string? AssertionJson, string? CurrentSessionHandle, string? RemoteAddress,
    string? UserAgent) : IRequest<InteractionOutcome>
{
    public override string ToString() => "AuthorizeWithPasskey { (handles redacted) }";
}

/// <summary>
/// As the password form of the authorization flow (<see cref="SignInHandler"/>): the request is validated again, the
/// passkey signs in, and success sends the browser back to the authorization endpoint without <c>prompt=login</c>.
/// </summary>
public sealed class AuthorizeWithPasskeyHandler(AuthorizationRequestResolver requests, PasskeySignIn passkeys, IIssuerProvider issuer)
    : IRequestHandler<AuthorizeWithPasskey, InteractionOutcome>
{
    public async Task<InteractionOutcome> Handle(AuthorizeWithPasskey request, CancellationToken cancellationToken)
    {
        var validation = await requests.ResolveAsync(request.Parameters, cancellationToken);
        if (validation is not AuthorizationValidation.Valid { Request: var authorization })
        {
            return AuthorizationResponses.From(validation, issuer.Issuer);
        }

        var result = await passkeys.SignInAsync(request.CeremonyHandle, request.AssertionJson, request.CurrentSessionHandle, request.RemoteAddress,
            request.UserAgent, authorization.Client.ClientId, cancellationToken);
        return result.SessionHandle is { } handle
            ? new InteractionOutcome.Continue(authorization.ParametersWithout(Prompts.Login, Prompts.SelectAccount), handle)
            : new InteractionOutcome.ShowLogin(authorization, null, Failed: true, result.RetryAfter);
    }
}

/// <summary>The passwordless sign-in of the device verification page, posted with the user code the person came with (if any).</summary>
public sealed record SignInForDeviceWithPasskey(
    string? CeremonyHandle, string? AssertionJson, string? UserCode, string? CurrentSessionHandle, string? RemoteAddress, string? UserAgent)
    : IRequest<DeviceAuthorizations.DevicePageOutcome>
{
    public override string ToString() => "SignInForDeviceWithPasskey { (handles redacted) }";
}

/// <summary>As the device page's password form (<see cref="DeviceAuthorizations.Commands.SignInForDevice.SignInForDeviceHandler"/>): signed in, back to the code.</summary>
public sealed class SignInForDeviceWithPasskeyHandler(PasskeySignIn passkeys) : IRequestHandler<SignInForDeviceWithPasskey, DeviceAuthorizations.DevicePageOutcome>
{
    public async Task<DeviceAuthorizations.DevicePageOutcome> Handle(SignInForDeviceWithPasskey request, CancellationToken cancellationToken)
    {
        var result = await passkeys.SignInAsync(request.CeremonyHandle, request.AssertionJson, request.CurrentSessionHandle, request.RemoteAddress,
            request.UserAgent, clientId: null, cancellationToken);
        return result.SessionHandle is { } handle
            ? new DeviceAuthorizations.DevicePageOutcome.SignedIn(handle, request.UserCode)
            : new DeviceAuthorizations.DevicePageOutcome.ShowLogin(request.UserCode, Username: null, Failed: true, result.RetryAfter);
    }
}

/// <summary>
/// A passwordless sign-in (WebAuthn L3 §7.2): the ceremony is spent first, the assertion verified with user verification
/// required and its counter checked (<see cref="PasskeyAssertions"/>: every refusal counted and audited). Success starts the
/// session through <see cref="PasswordSignIn.StartSessionAsync"/> (a new handle, ASVS 7.2.4) with <c>amr</c> hwk or swk,
/// user and mfa (RFC 8176 §2; docs/adr/0035).
/// </summary>
public sealed partial class PasskeySignIn(
    PasskeyCeremonies ceremonies,
    PasskeyAssertions assertions,
    PasswordSignIn passwords,
    ILoginThrottle throttle,
    ILogger<PasskeySignIn> logger)
{
    public async Task<PasswordSignInResult> SignInAsync(string? ceremonyHandle, string? assertionJson, string? currentSessionHandle, string? remoteAddress,
        string? userAgent, string? clientId, CancellationToken cancellationToken)
    {
        if (throttle.RetryAfter(remoteAddress) is { } wait)
        {
            return new PasswordSignInResult(null, wait);
        }

        var ceremony = await ceremonies.SpendAsync(ceremonyHandle, PasskeyCeremony.SignIn, cancellationToken);
        var passkey = ceremony is null
            ? null
            : await assertions.VerifyAsync(assertionJson, ceremony.Challenge, remoteAddress, clientId, cancellationToken);
        if (passkey is null)
        {
            LogFailed(logger, clientId, remoteAddress);
            return new PasswordSignInResult(null, null);
        }

        var handle = await passwords.StartSessionAsync(passkey.UserId, upgradedHash: null, currentSessionHandle,
            SessionDevice.Of(userAgent, remoteAddress), PasskeyMethods.Passwordless(passkey.KeyMethod), cancellationToken);
        if (handle is not null)
        {
            PasswordSignIn.LogSignedIn(logger, passkey.UserId, clientId);
        }

        return new PasswordSignInResult(handle, null);
    }

    [LoggerMessage(EventId = 3602, Level = LogLevel.Warning, Message = "Security event login_passkey_failed: for client {ClientId} from {RemoteAddress}")]
    private static partial void LogFailed(ILogger logger, string? clientId, string? remoteAddress);
}

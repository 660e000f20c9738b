using AuthService.Application.Audit;
using AuthService.Application.Authorization;
using AuthService.Application.Authorization.Requests;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Persistence;
using AuthService.Domain.Common;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Application.SignIn.Commands.SignIn;

/// <summary>The sign-in form, posted with the authorization request it belongs to.</summary>
public sealed record SignIn(
    IReadOnlyDictionary<string, string> Parameters,
    string? Username,
    string? Password,
    string? CurrentSessionHandle,
    string? RemoteAddress,
    string? UserAgent = null) : IRequest<InteractionOutcome>
{
    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"SignIn {{ Username = {Username} }}";
}

/// <summary>
/// The sign-in form of the authorization flow: the request it belongs to is validated again, the credentials are
/// checked by <see cref="PasswordSignIn"/>, and success sends the browser back to the authorization endpoint.
/// </summary>
public sealed class SignInHandler(AuthorizationRequestResolver requests, PasswordSignIn passwords, IIssuerProvider issuer)
    : IRequestHandler<SignIn, InteractionOutcome>
{
    public async Task<InteractionOutcome> Handle(SignIn request, CancellationToken cancellationToken)
    {
        var validation = await requests.ResolveAsync(request.Parameters, cancellationToken);
        if (validation is not AuthorizationValidation.Valid { Request: var authorization })
        {
            return AuthorizationResponses.From(validation, issuer.Issuer);
        }

        var result = await passwords.SignInAsync(
            request.Username, request.Password, request.CurrentSessionHandle, request.RemoteAddress, request.UserAgent, authorization.Client.ClientId,
            cancellationToken);
        return result switch
        {
            { SessionHandle: { } handle } => new InteractionOutcome.Continue(authorization.ParametersWithout(Prompts.Login, Prompts.SelectAccount), handle),
            { PendingHandle: { } pending } => new InteractionOutcome.ShowSecondFactor(authorization, pending, Failed: false, RetryAfter: null),
            _ => new InteractionOutcome.ShowLogin(authorization, request.Username, Failed: true, result.RetryAfter),
        };
    }
}

/// <summary>
/// Checks the username (or e-mail) and password. Every failure looks the same to the browser (ASVS 6.3.8):
/// unknown user, wrong password, locked or disabled account; and an unknown user costs one password hash
/// too, so timing does not tell (Keycloak issue #12298). Failures count per account (temporary lockout, ASVS 6.1.1) and
/// per source address. Success starts a new session with a new handle, ending the old one (session
/// fixation, ASVS 7.2.4); for an account with a confirmed second factor it starts no session but a
/// <see cref="PendingSignIn"/>, which <see cref="SecondFactorSignIn"/> finishes. Used by every sign-in form (the
/// authorization flow's, the device verification page's, the account page's).
/// </summary>
public sealed partial class PasswordSignIn(
    IUserRepository users,
    IUserSessionRepository sessions,
    SecondFactorStep secondFactor,
    IPasswordHasher hasher,
    ILoginThrottle throttle,
    IUnitOfWork unitOfWork,
    IAuditTrail audit,
    Logout.LogoutPropagation logout,
    IOptions<SignInOptions> options,
    TimeProvider clock,
    ILogger<PasswordSignIn> logger)
{
    /// <summary>Verified against when the user is unknown, so that case costs the same hash as a wrong password.</summary>
    private static string? s_decoyHash;

    /// <summary>
    /// Signs in for <paramref name="clientId"/> (named in the audit log): a new session's handle, or the failure. The new
    /// session keeps the browser's user agent and address (shown to administrators). <paramref name="provenMethods"/> are the
    /// methods the browser's current session already proved for this person (a password change signs in again): when
    /// they include a second factor (a one-time code or a passkey), it is not asked again.
    /// </summary>
    public async Task<PasswordSignInResult> SignInAsync(
        string? username, string? password, string? currentSessionHandle, string? remoteAddress, string? userAgent, string? clientId,
        CancellationToken cancellationToken, IReadOnlyList<string>? provenMethods = null)
    {
        static PasswordSignInResult Failed(TimeSpan? retryAfter = null) => new(null, retryAfter);

        if (throttle.RetryAfter(remoteAddress) is { } wait)
        {
            LogThrottled(logger, remoteAddress);
            return Failed(wait);
        }

        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password)
            || username.Length > User.MaxEmailLength || password.Length > Common.Security.PasswordPolicy.MaxLength)
        {
            return Failed();
        }

        var user = await FindAsync(username, cancellationToken);
        PasswordVerification verification;
        using (var slot = await throttle.EnterPasswordCheckAsync(cancellationToken))
        {
            if (slot is null)
            {
                LogSaturated(logger);
                return Failed(TimeSpan.FromSeconds(5));
            }

            verification = hasher.Verify(user?.PasswordHash ?? DecoyHash(), password);
        }

        var now = clock.GetUtcNow();
        if (user is null || user.PasswordHash is null || verification == PasswordVerification.Failed || user.Disabled || user.IsLockedOut(now))
        {
            throttle.RecordFailure(remoteAddress);
            audit.Record(AuditEvents.SignInFailed(user?.Id, FailureReason(user, verification, now), clientId));
            if (user is not null && verification == PasswordVerification.Failed)
            {
                await RecordFailureAsync(user.Id, cancellationToken);
            }
            else
            {
                (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
            }

            LogFailed(logger, clientId, remoteAddress);
            return Failed();
        }

        var upgradedHash = verification == PasswordVerification.SuccessRehashNeeded ? hasher.Hash(password) : null;
        var methods = AuthenticationMethods.PasswordOnly;
        if (await secondFactor.IsRequiredForAsync(user.Id, cancellationToken))
        {
            var proven = provenMethods is null ? [] : AuthenticationMethods.SecondFactorsIn(provenMethods);
            if (proven.Length == 0)
            {
                return new PasswordSignInResult(null, null, await BeginSecondStepAsync(user, upgradedHash, clientId, now, cancellationToken));
            }

            methods = AuthenticationMethods.WithSecondFactor(AuthenticationMethods.PasswordOnly, proven);
        }

        var handle = await StartSessionAsync(user.Id, upgradedHash, currentSessionHandle, SessionDevice.Of(userAgent, remoteAddress), methods, cancellationToken);
        if (handle is null)
        {
            return Failed();
        }

        LogSignedIn(logger, user.Id, clientId);
        return new PasswordSignInResult(handle, null);
    }

    /// <summary>
    /// Records the sign-in and starts a new session (ending the browser's old one). A concurrent sign-in of
    /// the same account (two tabs) conflicts on the user's version; it is retried on fresh state, so valid
    /// parallel sign-ins all succeed (Keycloak issue #31726). Null when the account can no longer sign in.
    /// </summary>
    internal async Task<string?> StartSessionAsync(
        Guid userId, string? upgradedHash, string? oldHandle, SessionDevice device, IReadOnlyList<string> methods, CancellationToken cancellationToken)
    {
        var (handle, save) = await ConflictRetry.RunAsync(async ct =>
        {
            var started = await StartSessionOnceAsync(userId, upgradedHash, oldHandle, device, methods, ct);
            return (started, started.Save);
        }, cancellationToken);
        save.ThrowIfConflict();
        return handle;
    }

    /// <summary>
    /// Starts the first session of <paramref name="provisioned"/>, an account added to this unit of work and not yet stored
    /// (an upstream sign-in's provisioning, docs/adr/0037): the account, what was added with it and the session are one save,
    /// tried once (a lost race on the username or the link leaves nothing behind). Null when the save failed.
    /// </summary>
    internal async Task<string?> StartProvisionedSessionAsync(User provisioned, string? oldHandle, SessionDevice device, IReadOnlyList<string> methods,
        CancellationToken cancellationToken) =>
        (await StartSessionInOneSaveAsync(provisioned, oldHandle, device, methods, cancellationToken)).Handle;

    /// <summary>
    /// Starts a session of <paramref name="user"/> (loaded or added in this unit of work) in the same save as whatever else the
    /// unit holds (a proven upstream link, docs/adr/0037), tried once: a lost race leaves nothing behind and says which
    /// (<see cref="SaveResult"/>). A null handle with <see cref="SaveResult.Saved"/>: the account cannot sign in, nothing saved.
    /// </summary>
    internal Task<(string? Handle, SaveResult Save)> StartSessionInOneSaveAsync(User user, string? oldHandle, SessionDevice device,
        IReadOnlyList<string> methods, CancellationToken cancellationToken) =>
        StartSessionOnceAsync(user.Id, null, oldHandle, device, methods, cancellationToken, user);

    /// <summary>One read-decide-write attempt; a rerun reads the account as the concurrent sign-in left it.</summary>
    private async Task<(string? Handle, SaveResult Save)> StartSessionOnceAsync(
        Guid userId, string? upgradedHash, string? oldHandle, SessionDevice device, IReadOnlyList<string> methods, CancellationToken cancellationToken,
        User? provisioned = null)
    {
        var user = provisioned ?? await users.FindByIdAsync(userId, cancellationToken);
        if (user is null)
        {
            return (null, SaveResult.Saved);
        }

        var now = clock.GetUtcNow();
        if (user.Disabled || user.IsLockedOut(now))
        {
            return (null, SaveResult.Saved);
        }

        if (upgradedHash is not null)
        {
            user.UpgradePasswordHash(upgradedHash, now);
        }

        user.RecordSuccessfulLogin(now);
        if (oldHandle is { Length: OpaqueToken.HashLength }
            && await sessions.FindByHandleHashAsync(OpaqueToken.HashOf(oldHandle), cancellationToken) is { } old
            && old.End(now))
        {
            // The browser's previous session (this user's or another's) ends here: its clients are told, in the same save
            // (Back-Channel Logout 1.0 §2.5).
            await logout.EnqueueAsync(old, Logout.LogoutPropagation.ReasonReplaced, now, cancellationToken);
        }

        var handle = OpaqueToken.New();
        var settings = options.Value;
        sessions.Add(UserSession.Start(Guid.NewGuid(), OpaqueToken.HashOf(handle), user.Id, user.SecurityStamp,
            new SessionLifetimes(settings.SessionLifetime, settings.SessionIdleTimeout), now, device, methods));
        var save = await unitOfWork.SaveChangesAsync(cancellationToken);
        return (save == SaveResult.Saved ? handle : null, save);
    }

    /// <summary>
    /// The password was right and the account has a second factor: no session yet, but a pending sign-in bound to the
    /// user and the security stamp (a rehashed password is stored now; the failure count is reset only once the second
    /// factor is in). Its handle goes to the browser, only its SHA-256 to the database.
    /// </summary>
    private async Task<string> BeginSecondStepAsync(User user, string? upgradedHash, string? clientId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (upgradedHash is not null)
        {
            user.UpgradePasswordHash(upgradedHash, now);
        }

        var handle = secondFactor.Begin(user, clientId, now, AuthenticationMethods.PasswordOnly);

        // Only the new row must be written; a lost race on the rehash leaves the old hash, which still verifies.
        if (await unitOfWork.SaveChangesAsync(cancellationToken) != SaveResult.Saved)
        {
            handle = secondFactor.Begin(user, clientId, now, AuthenticationMethods.PasswordOnly);
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        }

        LogSecondStep(logger, user.Id, clientId);
        return handle;
    }

    /// <summary>For the audit log only; the browser sees one message for every failure.</summary>
    private static string FailureReason(User? user, PasswordVerification verification, DateTimeOffset now) => user switch
    {
        null => "unknown_user",
        { PasswordHash: null } => "no_password",
        _ when verification == PasswordVerification.Failed => "wrong_password",
        { Disabled: true } => "disabled",
        _ when user.IsLockedOut(now) => "locked_out",
        _ => "refused",
    };

    private async Task<User?> FindAsync(string login, CancellationToken cancellationToken)
    {
        var normalized = User.Normalize(login);
        return await users.FindByNormalizedUsernameAsync(normalized, cancellationToken)
            ?? (login.Contains('@', StringComparison.Ordinal) ? await users.FindByNormalizedEmailAsync(normalized, cancellationToken) : null);
    }

    /// <summary>Counts the failure on the account; a concurrent sign-in of the same account is rerun on fresh state, so no failure is lost (Keycloak issue #31726).</summary>
    private async Task RecordFailureAsync(Guid userId, CancellationToken cancellationToken) =>
        (await ConflictRetry.RunAsync(async ct =>
        {
            // Without the user, the audit entry of the failure still counts.
            (await users.FindByIdAsync(userId, ct))?.RecordFailedLogin(clock.GetUtcNow(), LockoutPolicy.Default);
            return await unitOfWork.SaveChangesAsync(ct);
        }, cancellationToken)).ThrowIfConflict();

    private string DecoyHash() => s_decoyHash ??= hasher.Hash(OpaqueToken.New());

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Security event login_failed: for client {ClientId} from {RemoteAddress}")]
    private static partial void LogFailed(ILogger logger, string? clientId, string? remoteAddress);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Security event login_throttled: from {RemoteAddress}")]
    private static partial void LogThrottled(ILogger logger, string? remoteAddress);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Sign-in turned away: every password-check slot is busy")]
    private static partial void LogSaturated(ILogger logger);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Security event login_succeeded: user {UserId} for client {ClientId}")]
    internal static partial void LogSignedIn(ILogger logger, Guid userId, string? clientId);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Security event login_second_factor_required: user {UserId} for client {ClientId}")]
    private static partial void LogSecondStep(ILogger logger, Guid userId, string? clientId);
}

/// <summary>
/// A sign-in step's outcome: the new session's handle; or the handle of a pending sign-in that waits for the second
/// factor; or neither, with how long the address must wait (if it must). Never prints a handle.
/// </summary>
public sealed record PasswordSignInResult(string? SessionHandle, TimeSpan? RetryAfter, string? PendingHandle = null)
{
    public override string ToString() =>
        $"PasswordSignInResult {{ SignedIn = {SessionHandle is not null}, SecondFactorPending = {PendingHandle is not null}, RetryAfter = {RetryAfter} }}";
}

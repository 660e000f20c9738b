using AuthService.Domain.Common;
using AuthService.Domain.Passkeys;
using AuthService.Domain.SecondFactors;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;

namespace AuthService.Application.SignIn;

/// <summary>
/// The second factors a person can finish a sign-in with: a code (a confirmed authenticator app, and its backup codes) and
/// a passkey. Each is enough after the password; the second step offers the ones the person has.
/// </summary>
public sealed record SecondFactorOffer(bool Code, bool Passkey)
{
    public bool Any => Code || Passkey;
}

/// <summary>
/// When a sign-in needs its second step, and starting that step: a <see cref="PendingSignIn"/> bound to the user and
/// the security stamp, whose random handle goes to the browser and only its SHA-256 to the database. The caller saves.
/// </summary>
public sealed class SecondFactorStep(
    ISecondFactorEnrolmentRepository enrolments, IPasskeyRepository passkeys, IPendingSignInRepository pendingSignIns, IUserRepository users)
{
    /// <summary>
    /// Whether the user has a second factor: a confirmed authenticator app, or a passkey (docs/adr/0035 "Passkey as the
    /// second factor": a passkey asked for after the password is a second, different factor, so it counts like the app).
    /// </summary>
    public async Task<bool> IsRequiredForAsync(Guid userId, CancellationToken cancellationToken) =>
        (await OfferForAsync(userId, cancellationToken)).Any;

    /// <summary>Which second factors <paramref name="userId"/> can use.</summary>
    public async Task<SecondFactorOffer> OfferForAsync(Guid userId, CancellationToken cancellationToken) =>
        new(await enrolments.FindByUserIdAsync(userId, cancellationToken) is { IsActive: true }, await passkeys.AnyForUserAsync(userId, cancellationToken));

    /// <summary>
    /// Which second factors the person of the pending sign-in named by <paramref name="pendingHandle"/> can use; the code alone
    /// when there is no such pending sign-in (the form's post then sends the browser back to the password).
    /// </summary>
    public async Task<SecondFactorOffer> OfferForPendingAsync(string? pendingHandle, CancellationToken cancellationToken) =>
        pendingHandle is { Length: OpaqueToken.HashLength }
        && await pendingSignIns.FindByHandleHashAsync(OpaqueToken.HashOf(pendingHandle), cancellationToken) is { } pending
            ? await OfferForAsync(pending.UserId, cancellationToken)
            : new SecondFactorOffer(Code: true, Passkey: false);

    /// <summary>
    /// The pending sign-in named by <paramref name="pendingHandle"/> and its user, when it can still finish: not spent, expired
    /// or out of attempts; the user enabled, not locked out, credentials unchanged.
    /// </summary>
    public async Task<(PendingSignIn Pending, User User)?> FindUsableAsync(string? pendingHandle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pending = pendingHandle is { Length: OpaqueToken.HashLength }
            ? await pendingSignIns.FindByHandleHashAsync(OpaqueToken.HashOf(pendingHandle), cancellationToken)
            : null;
        var user = pending is null ? null : await users.FindByIdAsync(pending.UserId, cancellationToken);
        return pending is not null && user is { Disabled: false } && !user.IsLockedOut(now) && pending.IsUsable(now, user.SecurityStamp)
            ? (pending, user)
            : null;
    }

    /// <summary>
    /// Adds a pending sign-in of <paramref name="user"/> after the first factor whose <c>amr</c> values are
    /// <paramref name="firstFactor"/> (a step-up of <paramref name="sessionId"/> when given); returns its handle.
    /// </summary>
    public string Begin(User user, string? clientId, DateTimeOffset now, IReadOnlyList<string> firstFactor, Guid? sessionId = null)
    {
        var handle = OpaqueToken.New();
        pendingSignIns.Add(PendingSignIn.Begin(Guid.NewGuid(), OpaqueToken.HashOf(handle), user.Id, user.SecurityStamp, clientId, firstFactor, now, sessionId));
        return handle;
    }

    /// <summary>
    /// Adds the pending step-up of <paramref name="session"/> (the authorization endpoint's and the device page's): the
    /// session's own first factor (pwd or email; <see cref="UserSession.FirstFactorMethods"/>) is the pending sign-in's.
    /// Returns its handle.
    /// </summary>
    public string BeginStepUp(User user, string? clientId, DateTimeOffset now, UserSession session) =>
        Begin(user, clientId, now, session.FirstFactorMethods, session.Id);
}

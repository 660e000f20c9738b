using AuthService.Application.Account;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.SignIn;
using AuthService.Application.Users;
using AuthService.Domain.Common;
using AuthService.Domain.Passkeys;
using MediatR;

namespace AuthService.Application.Passkeys.Commands;

/// <summary>
/// Starts adding a passkey on the account page: a registration ceremony for the session's person;
/// <see cref="CeremonyStart.Refused"/> without an active session, <see cref="CeremonyStart.Throttled"/> beyond the address's limit.
/// </summary>
public sealed record BeginPasskeyRegistration(string? SessionHandle, string? RemoteAddress) : IRequest<CeremonyStart>;

public sealed class BeginPasskeyRegistrationHandler(
    BrowserSessions sessions, IPasskeyRepository passkeys, PasskeyCeremonies ceremonies, IWebAuthn webAuthn, IUnitOfWork unitOfWork)
    : IRequestHandler<BeginPasskeyRegistration, CeremonyStart>
{
    public async Task<CeremonyStart> Handle(BeginPasskeyRegistration request, CancellationToken cancellationToken)
    {
        if (await sessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return CeremonyStart.Refused;
        }

        if (ceremonies.Throttle(request.RemoteAddress) is { } throttled)
        {
            return throttled;
        }

        var existing = await passkeys.ListByUserIdAsync(active.User.Id, cancellationToken);
        var (handle, challenge) = ceremonies.Begin(PasskeyCeremony.Registration, active.User.Id);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new BegunCeremony(handle, webAuthn.CreationOptions(challenge, PasskeyAccountOf(active), existing));
    }

    internal static PasskeyAccount PasskeyAccountOf(ActiveSession active) =>
        new(active.User.Id, active.User.Username, active.User.Name ?? active.User.Username);
}

/// <summary>Finishes adding a passkey: the authenticator's answer to the ceremony's challenge, and the name the person chose.</summary>
public sealed record FinishPasskeyRegistration(string? SessionHandle, string? CeremonyHandle, string? Name, string? CredentialJson) : IRequest<AccountOutcome>
{
    public override string ToString() => "FinishPasskeyRegistration { (handles redacted) }";
}

/// <summary>
/// WebAuthn L3 §7.1: the ceremony is spent first (one response per challenge), and must be this person's registration;
/// then the response is verified (challenge, origin, rpIdHash, UP and UV flags, the public key's algorithm) and the
/// credential id must be new to the server (§7.1 step 26); a taken id is refused without telling whose it is.
/// </summary>
public sealed class FinishPasskeyRegistrationHandler(
    BrowserSessions sessions, IPasskeyRepository passkeys, PasskeyCeremonies ceremonies, IWebAuthn webAuthn, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<FinishPasskeyRegistration, AccountOutcome>
{
    public const string Added = "passkey-added";

    private static readonly AccountOutcome Failed = new AccountOutcome.Invalid("The passkey could not be added. Try again.");

    public async Task<AccountOutcome> Handle(FinishPasskeyRegistration request, CancellationToken cancellationToken)
    {
        if (await sessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return AccountOutcome.SignInFirst;
        }

        if (!Passkey.IsValidName(request.Name))
        {
            return new AccountOutcome.Invalid($"Give the passkey a name of 1 to {Passkey.MaxNameLength} characters.");
        }

        var ceremony = await ceremonies.SpendAsync(request.CeremonyHandle, PasskeyCeremony.Registration, cancellationToken);
        if (ceremony is null || ceremony.UserId != active.User.Id)
        {
            return Failed;
        }

        var existing = await passkeys.ListByUserIdAsync(active.User.Id, cancellationToken);
        var verified = await webAuthn.VerifyRegistrationAsync(request.CredentialJson, ceremony.Challenge,
            BeginPasskeyRegistrationHandler.PasskeyAccountOf(active), existing, cancellationToken);
        if (verified is null || await passkeys.FindByCredentialIdAsync(verified.CredentialId, cancellationToken) is not null)
        {
            return Failed;
        }

        passkeys.Add(Passkey.Register(Guid.NewGuid(), active.User.Id, verified.CredentialId, verified.PublicKey, verified.SignCount, verified.Transports,
            verified.Aaguid, verified.BackupEligible, verified.BackedUp, request.Name, clock.GetUtcNow()));
        // A credential id registered meanwhile by another request hits the unique index: refused the same way.
        return await unitOfWork.SaveChangesAsync(cancellationToken) == SaveResult.Saved ? new AccountOutcome.Done(Added) : Failed;
    }
}

/// <summary>A passkey of the browser session's person, by id; another person's or an unknown id is <see cref="AccountOutcome.Missing"/> (never told apart).</summary>
internal static class OwnPasskeys
{
    public static async Task<(Passkey? Passkey, AccountOutcome? Refusal)> FindAsync(
        BrowserSessions sessions, IPasskeyRepository passkeys, string? sessionHandle, Guid passkeyId, CancellationToken cancellationToken)
    {
        if (await sessions.FindActiveAsync(sessionHandle, cancellationToken) is not { } active)
        {
            return (null, AccountOutcome.SignInFirst);
        }

        var passkey = (await passkeys.ListByUserIdAsync(active.User.Id, cancellationToken)).FirstOrDefault(p => p.Id == passkeyId);
        return passkey is null ? (null, AccountOutcome.Missing) : (passkey, null);
    }
}

/// <summary>Renames one of the session's person's passkeys.</summary>
public sealed record RenamePasskey(string? SessionHandle, Guid PasskeyId, string? Name) : IRequest<AccountOutcome>;

public sealed class RenamePasskeyHandler(BrowserSessions sessions, IPasskeyRepository passkeys, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RenamePasskey, AccountOutcome>
{
    public const string Renamed = "passkey-renamed";

    public async Task<AccountOutcome> Handle(RenamePasskey request, CancellationToken cancellationToken)
    {
        var (passkey, refusal) = await OwnPasskeys.FindAsync(sessions, passkeys, request.SessionHandle, request.PasskeyId, cancellationToken);
        if (passkey is null)
        {
            return refusal!;
        }

        if (!Passkey.IsValidName(request.Name))
        {
            return new AccountOutcome.Invalid($"Give the passkey a name of 1 to {Passkey.MaxNameLength} characters.");
        }

        passkey.Rename(request.Name, clock.GetUtcNow());
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new AccountOutcome.Done(Renamed);
    }
}

/// <summary>
/// Removes one of the session's person's passkeys (audited as <c>user.passkey_removed</c>, reason <c>self</c>), unless it
/// is the last way in (<see cref="Domain.Users.WaysIn"/>: an account without a password or a linked identity keeps its
/// last passkey, docs/adr/0037 "Administration"). The account's version moves in the same save, so a concurrent removal of
/// another way in conflicts instead of both passing the check.
/// </summary>
public sealed record RemovePasskey(string? SessionHandle, Guid PasskeyId) : IRequest<AccountOutcome>;

public sealed class RemovePasskeyHandler(
    BrowserSessions sessions, IPasskeyRepository passkeys, Federation.Common.LinkedIdentities linked, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RemovePasskey, AccountOutcome>
{
    public const string Removed = "passkey-removed";

    public const string LastWayIn = "This passkey is the only way you can sign in: set a password, add another passkey or link an account first.";

    public async Task<AccountOutcome> Handle(RemovePasskey request, CancellationToken cancellationToken)
    {
        if (await sessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return AccountOutcome.SignInFirst;
        }

        var own = await passkeys.ListByUserIdAsync(active.User.Id, cancellationToken);
        if (own.FirstOrDefault(p => p.Id == request.PasskeyId) is not { } passkey)
        {
            return AccountOutcome.Missing;
        }

        if (!(await linked.WaysInWithPasskeysAsync(active.User, own.Count, cancellationToken)).AllowsRemovingOnePasskey)
        {
            return new AccountOutcome.Invalid(LastWayIn);
        }

        var now = clock.GetUtcNow();
        passkey.Remove(Passkey.RemovedBySelf, now);
        passkeys.Remove(passkey);
        active.User.RecordWayInRemoved(now);
        return AccountOutcome.AfterWayInRemoval(await unitOfWork.SaveChangesAsync(cancellationToken), Removed);
    }
}

/// <summary>An administrator removes every passkey of a user (the person lost them); 404 for an unknown user.</summary>
public sealed record ResetPasskeys(Guid UserId) : IRequest<Unit>;

/// <summary>Each removal is audited as <c>user.passkey_removed</c> with reason <c>admin_reset</c>; a user without passkeys is left as is (204 too).</summary>
public sealed class ResetPasskeysHandler(Domain.Users.IUserRepository users, IPasskeyRepository passkeys, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<ResetPasskeys, Unit>
{
    public async Task<Unit> Handle(ResetPasskeys request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.UserId, cancellationToken);
        var all = await passkeys.ListByUserIdAsync(request.UserId, cancellationToken);
        foreach (var passkey in all)
        {
            passkey.Remove(Passkey.RemovedByAdministrator, clock.GetUtcNow());
            passkeys.Remove(passkey);
        }

        if (all.Count > 0)
        {
            user.RecordWayInRemoved(clock.GetUtcNow());
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        }

        return Unit.Value;
    }
}

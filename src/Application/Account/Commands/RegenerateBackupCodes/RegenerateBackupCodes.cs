using AuthService.Application.Common.Exceptions;
using AuthService.Application.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.SecondFactors;
using MediatR;

namespace AuthService.Application.Account.Commands.RegenerateBackupCodes;

/// <summary>The person asks for a new set of backup codes.</summary>
public sealed record RegenerateBackupCodes(string? SessionHandle) : IRequest<BackupCodesResult>;

/// <summary>The outcome; on success the new codes, to be shown once and never again (only their hashes are kept).</summary>
public sealed record BackupCodesResult(AccountOutcome Outcome, IReadOnlyList<string> Codes)
{
    /// <summary>Never prints a code.</summary>
    public override string ToString() => $"BackupCodesResult {{ Outcome = {Outcome}, Count = {Codes.Count} }}";
}

/// <summary>
/// Ten new backup codes from the CSPRNG replace the old ones (every old code dies), audited as
/// <c>user.backup_codes_regenerated</c>. Only beside a confirmed authenticator.
/// </summary>
public sealed class RegenerateBackupCodesHandler(BrowserSessions sessions, ISecondFactorEnrolmentRepository enrolments, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RegenerateBackupCodes, BackupCodesResult>
{
    public async Task<BackupCodesResult> Handle(RegenerateBackupCodes request, CancellationToken cancellationToken)
    {
        if (await sessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return new BackupCodesResult(AccountOutcome.SignInFirst, []);
        }

        if (await enrolments.FindByUserIdAsync(active.User.Id, cancellationToken) is not { IsActive: true } enrolment)
        {
            return new BackupCodesResult(new AccountOutcome.Invalid("Add an authenticator app first; backup codes stand in for it."), []);
        }

        var codes = BackupCodes.NewSet();
        enrolment.RegenerateBackupCodes(codes.Select(BackupCodes.HashOf).ToList(), clock.GetUtcNow());
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new BackupCodesResult(new AccountOutcome.Done("backup-codes-regenerated"), codes);
    }
}

using AuthService.Application.Common.Exceptions;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.AuthorizationCodes;
using AuthService.Domain.Common;
using AuthService.Domain.Consents;
using AuthService.Domain.RefreshTokens;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Consents.Commands.RevokeConsent;

/// <summary>
/// An administrator withdraws a user's consent to a client (ASVS 10.7.3, ASVS 10.4.9): the
/// user's refresh-token families for that client are revoked (their access tokens denylisted with them) and
/// the consent is deleted with its unredeemed codes withdrawn, so the old refresh token fails with <c>invalid_grant</c> and the next authorization
/// asks for consent again.
/// </summary>
/// <remarks><paramref name="BySelf"/>: the person withdrew it on their account page (logged as such), not an administrator.</remarks>
public sealed record RevokeConsent(string UserId, string ClientId, int? ExpectedVersion = null, bool BySelf = false) : IRequest<Unit>;

public sealed class RevokeConsentValidator : AbstractValidator<RevokeConsent>
{
    public RevokeConsentValidator()
    {
        RuleFor(c => c.UserId).MustBeUserId();
        RuleFor(c => c.ClientId).MustBeClientId();
    }
}

public sealed partial class RevokeConsentHandler(
    IConsentRepository consents,
    IRefreshTokenFamilyRepository families,
    IAuthorizationCodeRepository codes,
    GrantRevocation revocation,
    IUnitOfWork unitOfWork,
    TimeProvider clock,
    ILogger<RevokeConsentHandler> logger) : IRequestHandler<RevokeConsent, Unit>
{
    public const string Reason = "consent_revoked";

    public async Task<Unit> Handle(RevokeConsent request, CancellationToken cancellationToken)
    {
        var userId = Guid.Parse(request.UserId);
        var consent = await consents.FindAsync(userId, request.ClientId, cancellationToken)
            ?? throw new NotFoundException("Consent", $"{request.UserId}/{request.ClientId}");
        Concurrency.Check(consent.Version, request.ExpectedVersion);

        // The families first: each revocation commits on its own and repeating it is harmless, so a failure
        // part-way leaves the consent in place and the request can simply be repeated.
        var revoked = await RevokeFamiliesAsync(userId, request.ClientId, cancellationToken);

        // Codes issued under the consent and not yet redeemed are withdrawn in the same save: a code minted a
        // moment before the revocation must not start a new family after it.
        var now = clock.GetUtcNow();
        foreach (var code in await codes.ListUsableAsync(userId, request.ClientId, now, cancellationToken))
        {
            code.Withdraw(now);
        }

        consent.Revoke(now);
        consents.Remove(consent);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();

        // A family started between the first pass and the deletion (a code redeemed meanwhile) goes too.
        revoked += await RevokeFamiliesAsync(userId, request.ClientId, cancellationToken);
        if (request.BySelf)
        {
            LogWithdrawn(logger, userId, request.ClientId, revoked);
        }
        else
        {
            LogRevoked(logger, userId, request.ClientId, revoked);
        }

        return Unit.Value;
    }

    private async Task<int> RevokeFamiliesAsync(Guid userId, string clientId, CancellationToken cancellationToken)
    {
        var active = await families.ListActiveAsync(userId, clientId, clock.GetUtcNow(), cancellationToken);
        foreach (var family in active)
        {
            await revocation.RevokeFamilyAsync(family.Id, Reason, cancellationToken);
        }

        return active.Count;
    }

    [LoggerMessage(EventId = 3501, Level = LogLevel.Information, Message = "Consent of user {UserId} to client {ClientId} revoked by an administrator; {Families} refresh-token families revoked")]
    private static partial void LogRevoked(ILogger logger, Guid userId, string clientId, int families);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Information, Message = "Consent of user {UserId} to client {ClientId} withdrawn by the user; {Families} refresh-token families revoked")]
    private static partial void LogWithdrawn(ILogger logger, Guid userId, string clientId, int families);
}

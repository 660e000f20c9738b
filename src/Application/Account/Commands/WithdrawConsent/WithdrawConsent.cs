using AuthService.Application.Consents.Commands.RevokeConsent;
using AuthService.Application.SignIn;
using AuthService.Domain.Clients;
using AuthService.Domain.Consents;
using MediatR;

namespace AuthService.Application.Account.Commands.WithdrawConsent;

/// <summary>The person withdraws their consent to <paramref name="ClientId"/> on the account page.</summary>
public sealed record WithdrawConsent(string? SessionHandle, string? ClientId) : IRequest<AccountOutcome>;

/// <summary>
/// The administrator's withdrawal (<see cref="RevokeConsent"/>), asked by the person themselves (ASVS 10.7.3): the consent is
/// deleted (audited by its <c>ConsentRevoked</c> event), the refresh-token families of that user and client are revoked
/// and its unredeemed codes withdrawn; nothing else ends (the browser session and other clients' grants stay). Only a
/// consent of the session's own user is found: any other client id is 404.
/// </summary>
public sealed class WithdrawConsentHandler(BrowserSessions browserSessions, IConsentRepository consents, IMediator sender)
    : IRequestHandler<WithdrawConsent, AccountOutcome>
{
    public const string Status = "app-withdrawn";

    public async Task<AccountOutcome> Handle(WithdrawConsent request, CancellationToken cancellationToken)
    {
        if (await browserSessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return AccountOutcome.SignInFirst;
        }

        if (request.ClientId is not { Length: > 0 and <= Client.MaxClientIdLength } clientId
            || await consents.FindAsync(active.User.Id, clientId, cancellationToken) is null)
        {
            return AccountOutcome.Missing;
        }

        await sender.Send(new RevokeConsent(active.User.Id.ToString(), clientId, BySelf: true), cancellationToken);
        return new AccountOutcome.Done(Status);
    }
}

using AuthService.Application.Authorization;
using AuthService.Application.Authorization.Requests;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Email.Commands.RequestPasswordReset;
using MediatR;

namespace AuthService.Application.Email.Commands.RequestAuthorizationMagicLink;

/// <summary>
/// Someone asks for a sign-in link for <paramref name="Email"/> on the authorization flow's sign-in page, whose form carries
/// the authorization request <paramref name="Parameters"/> (the POST of <c>/account/login/email-link</c>).
/// </summary>
public sealed record RequestAuthorizationMagicLink(IReadOnlyDictionary<string, string> Parameters, string? Email, string? RemoteAddress)
    : IRequest<ContinuedLinkRequested<InteractionOutcome>>;

/// <summary>
/// The request is validated again (as every page's post is); a request that is no longer valid gets its error page or
/// error redirect and no link. Otherwise the link, or the "no account" notice, as on the account page
/// (<see cref="EmailLinkRequests"/>: the same answer, work and throttle whether or not an account has the address), with the
/// request stored beside the link's token: opening the link signs in and continues it (docs/adr/0033 "Magic links").
/// </summary>
public sealed class RequestAuthorizationMagicLinkHandler(AuthorizationRequestResolver requests, EmailLinkRequests linkRequests, IIssuerProvider issuer)
    : IRequestHandler<RequestAuthorizationMagicLink, ContinuedLinkRequested<InteractionOutcome>>
{
    public async Task<ContinuedLinkRequested<InteractionOutcome>> Handle(RequestAuthorizationMagicLink request, CancellationToken cancellationToken)
    {
        var validation = await requests.ResolveAsync(request.Parameters, cancellationToken);
        if (validation is not AuthorizationValidation.Valid { Request: var authorization })
        {
            return new(PasswordResetRequested.Accepted, AuthorizationResponses.From(validation, issuer.Issuer));
        }

        if (AuthorizationContinuation.Of(authorization) is not { } continuation)
        {
            return new(PasswordResetRequested.Accepted, new InteractionOutcome.ErrorPage(OAuthError.RequestTooLarge));
        }

        return new(await linkRequests.RequestSignInLinkAsync(request.Email, request.RemoteAddress, continuation, cancellationToken));
    }
}

using AuthService.Application.Authorization;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.DeviceAuthorizations;
using AuthService.Application.Email.Queries.CheckEmailLink;
using AuthService.Application.SignIn;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Email.Commands.SignInWithMagicLink;

/// <summary>The person signs in with a sign-in link's token (the POST of <c>/account/signin/email</c>).</summary>
public sealed record SignInWithMagicLink(string? Token, string? CurrentSessionHandle, string? RemoteAddress, string? UserAgent)
    : IRequest<MagicLinkSignInResult>
{
    /// <summary>Never the token or a handle.</summary>
    public override string ToString() => "SignInWithMagicLink { (token and handles redacted) }";
}

/// <summary>
/// The link refused (<see cref="Refused"/>, the reason for the 400 page), or the sign-in step it led to (<see cref="SignIn"/>:
/// a session, or a pending sign-in that waits for the second factor); <see cref="EmailVerified"/> when using the link verified
/// the address. A link asked for on the authorization page leads on to <see cref="Authorization"/> (the flow's next page:
/// back to the authorization endpoint, its second step, or, for a request no longer valid, its error), one asked for on the
/// device page to <see cref="Device"/>.
/// </summary>
public sealed record MagicLinkSignInResult(
    EmailTokenUse? Refused, PasswordSignInResult? SignIn, bool EmailVerified, InteractionOutcome? Authorization = null, DevicePageOutcome? Device = null)
{
    public static MagicLinkSignInResult RefusedFor(EmailTokenUse reason) => new(reason, null, false);
}

/// <summary>
/// Uses the link up and signs in, like a password would (docs/adr/0033, "Magic links"). A disabled, deleted or locked-out
/// account, a changed address or security stamp: the same "link not valid" page, nothing written. The token's consumption,
/// the verification of the address (using the link proved control of it: ASVS 6.4) and, for an account with a confirmed
/// second factor, the pending sign-in of the second step (first factor <c>email</c>) are one save; of two racing uses the
/// token's concurrency token lets one win. Without a second factor the session starts through
/// <see cref="PasswordSignIn.StartSessionAsync"/> (a new handle, ASVS 7.2.4) with <c>amr</c>
/// <see cref="AuthenticationMethods.EmailLink"/> (one factor: the pwd level of acr). A link asked for on the authorization
/// page has its request validated again before anything is written (a request no longer valid: its error, the link
/// unused), then continues it; one asked for on the device page continues to that device's page, if it still awaits a
/// decision. Everything continues in the browser that used the link, never in the one that asked for it.
/// </summary>
public sealed partial class SignInWithMagicLinkHandler(
    EmailTokenLookup lookup,
    SecondFactorStep secondFactor,
    PasswordSignIn passwords,
    AuthorizationContinuation authorizations,
    SignInContinuations continuations,
    IUnitOfWork unitOfWork,
    IIssuerProvider issuer,
    TimeProvider clock,
    ILogger<SignInWithMagicLinkHandler> logger) : IRequestHandler<SignInWithMagicLink, MagicLinkSignInResult>
{
    public async Task<MagicLinkSignInResult> Handle(SignInWithMagicLink request, CancellationToken cancellationToken)
    {
        if (await lookup.FindAsync(request.Token, cancellationToken) is not { } found)
        {
            return MagicLinkSignInResult.RefusedFor(EmailTokenUse.NoLongerValid);
        }

        var now = clock.GetUtcNow();
        var use = found.Token.Check(EmailTokenPurpose.MagicLink, found.User, now);
        if (use == EmailTokenUse.Usable && found.User!.IsLockedOut(now))
        {
            use = EmailTokenUse.NoLongerValid;
        }

        if (use != EmailTokenUse.Usable)
        {
            return MagicLinkSignInResult.RefusedFor(use);
        }

        var continuation = found.Token.Continuation;
        AuthorizationRequest? authorization = null;
        if (continuation is { Kind: SignInContinuationKind.Authorization })
        {
            var validation = await authorizations.ResolveAsync(continuation, cancellationToken);
            if (validation is not AuthorizationValidation.Valid valid)
            {
                return new MagicLinkSignInResult(null, null, false, AuthorizationResponses.From(validation, issuer.Issuer));
            }

            authorization = valid.Request;
        }

        var user = found.User!;
        found.Token.Consume(EmailTokenPurpose.MagicLink, user, now);
        var verified = !user.EmailVerified;
        if (verified)
        {
            user.UpdateProfile(new UserProfile(user.Username, user.Email, EmailVerified: true, user.Name), now);
        }

        var clientId = authorization?.Client.ClientId;
        var pending = await secondFactor.IsRequiredForAsync(user.Id, cancellationToken)
            ? secondFactor.Begin(user, clientId, now, AuthenticationMethods.EmailLinkOnly)
            : null;
        if (await unitOfWork.SaveChangesAsync(cancellationToken) != SaveResult.Saved)
        {
            return MagicLinkSignInResult.RefusedFor(EmailTokenUse.AlreadyUsed);
        }

        PasswordSignInResult signIn;
        if (pending is not null)
        {
            LogSecondStep(logger, user.Id);
            signIn = new PasswordSignInResult(null, null, pending);
        }
        else
        {
            var handle = await passwords.StartSessionAsync(user.Id, upgradedHash: null, request.CurrentSessionHandle,
                SessionDevice.Of(request.UserAgent, request.RemoteAddress), AuthenticationMethods.EmailLinkOnly, cancellationToken);
            if (handle is null)
            {
                return MagicLinkSignInResult.RefusedFor(EmailTokenUse.NoLongerValid);
            }

            PasswordSignIn.LogSignedIn(logger, user.Id, clientId);
            signIn = new PasswordSignInResult(handle, null);
        }

        return continuation?.Kind switch
        {
            SignInContinuationKind.Authorization => new MagicLinkSignInResult(null, signIn, verified, Authorization: SignInContinuations.Authorization(authorization!, signIn)),
            SignInContinuationKind.Device => new MagicLinkSignInResult(null, signIn, verified,
                Device: await continuations.DeviceAsync(continuation.DeviceCodeHash, signIn, cancellationToken)),
            _ => new MagicLinkSignInResult(null, signIn, verified),
        };
    }

    [LoggerMessage(EventId = 3701, Level = LogLevel.Information, Message = "Security event login_second_factor_required: user {UserId} after a sign-in link")]
    private static partial void LogSecondStep(ILogger logger, Guid userId);
}

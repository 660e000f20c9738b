using AuthService.Application.Authorization;
using AuthService.Application.Authorization.Requests;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.SignIn;
using AuthService.Application.DeviceAuthorizations;
using AuthService.Application.Email;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Federation;
using AuthService.Domain.Sessions;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Federation.Commands.BeginExternalSignIn;

/// <summary>
/// A sign-in page's provider button (or <c>idp_hint</c>) starts an upstream round trip with <paramref name="Provider"/>:
/// for the authorization request <paramref name="Parameters"/> carries, the device page's <paramref name="UserCode"/>, the
/// account page, or (<see cref="ExternalSignInPurpose.Link"/>) a link to the account signed in with
/// <paramref name="SessionHandle"/>, or (<see cref="ExternalSignInPurpose.Proof"/>) the proof of the round trip
/// <paramref name="ProvesSignInId"/> with a provider already linked to its candidate account. <paramref name="Binding"/> is
/// the browser's binding cookie, when it has one.
/// </summary>
public sealed record BeginExternalSignIn(
    string? Provider,
    ExternalSignInPurpose Purpose,
    IReadOnlyDictionary<string, string>? Parameters,
    string? UserCode,
    string? SessionHandle,
    string? Binding,
    string? RemoteAddress,
    Guid? ProvesSignInId = null) : IRequest<ExternalSignInOutcome>
{
    public override string ToString() => $"BeginExternalSignIn {{ Provider = {Provider}, Purpose = {Purpose} }}";
}

/// <summary>
/// The provider must exist and be enabled. The request the round trip continues is validated now (and again when it
/// continues); a device page's code is checked as that page checks it. The round trip stores the SHA-256 of a fresh
/// <c>state</c> and of the browser-binding value (kept: one binding per browser, so two round trips in two tabs both
/// work), the nonce and the PKCE verifier (docs/adr/0037 "The flow"); the protocol builds the URL. An upstream whose
/// metadata cannot be had: an error page, and nothing is kept. A proof (docs/adr/0037 "Proof by a linked provider or a
/// passkey") needs the round trip it proves to await proof in this very browser (its binding is reused, so the callback's
/// binding check covers both) and the provider to be one the proof page offers: linked to the candidate account, enabled,
/// not the one being linked.
/// </summary>
public sealed partial class BeginExternalSignInHandler(
    IExternalProviderRepository providers,
    IExternalSignInRepository signIns,
    IEnumerable<IUpstreamProtocol> protocols,
    AuthorizationRequestResolver requests,
    DeviceVerification devices,
    BrowserSessions sessions,
    LinkProof proofs,
    IUnitOfWork unitOfWork,
    IIssuerProvider issuer,
    TimeProvider clock,
    ILogger<BeginExternalSignInHandler> logger) : IRequestHandler<BeginExternalSignIn, ExternalSignInOutcome>
{
    public async Task<ExternalSignInOutcome> Handle(BeginExternalSignIn request, CancellationToken cancellationToken)
    {
        if (!ExternalProvider.IsValidName(request.Provider)
            || await providers.FindByNameAsync(request.Provider!, cancellationToken) is not { Enabled: true } provider
            || protocols.FirstOrDefault(p => p.Protocol == provider.Protocol) is not { } protocol)
        {
            return new ExternalSignInOutcome.ErrorPage(FederationFailure.UnknownProvider);
        }

        var now = clock.GetUtcNow();
        SignInContinuation? continuation = null;
        string? loginHint = null;
        Guid? linkUserId = null, linkSessionId = null;
        switch (request.Purpose)
        {
            case ExternalSignInPurpose.Authorization:
                var validation = await requests.ResolveAsync(request.Parameters ?? new Dictionary<string, string>(), cancellationToken);
                if (validation is not AuthorizationValidation.Valid { Request: var authorization })
                {
                    return new ExternalSignInOutcome.Authorization(AuthorizationResponses.From(validation, issuer.Issuer));
                }

                continuation = AuthorizationContinuation.Of(authorization);
                if (continuation is null)
                {
                    return new ExternalSignInOutcome.ErrorPage(FederationFailure.RequestTooLarge, provider.DisplayName);
                }

                loginHint = authorization.LoginHint;
                break;
            case ExternalSignInPurpose.Device:
                string? deviceCodeHash = null;
                if (!string.IsNullOrWhiteSpace(request.UserCode))
                {
                    var (device, refusal) = await devices.FindPendingAsync(request.UserCode, request.RemoteAddress, cancellationToken);
                    if (device is null)
                    {
                        return new ExternalSignInOutcome.Device(refusal!);
                    }

                    deviceCodeHash = device.DeviceCodeHash;
                }

                continuation = SignInContinuation.Device(deviceCodeHash);
                break;
            case ExternalSignInPurpose.Link:
                if (await sessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
                {
                    return new ExternalSignInOutcome.ErrorPage(FederationFailure.NotSignedIn, provider.DisplayName);
                }

                (linkUserId, linkSessionId) = (active.Session.UserId, active.Session.Id);
                break;
            case ExternalSignInPurpose.Proof:
                if (await proofs.FindAsync(request.ProvesSignInId, request.Binding, cancellationToken) is not { } proof
                    || !(await proofs.OffersAsync(proof.SignIn, cancellationToken)).Providers.Any(p => p.Name == provider.Name))
                {
                    return new ExternalSignInOutcome.ErrorPage(FederationFailure.RoundTripInvalid, provider.DisplayName);
                }

                break;
        }

        var state = OpaqueToken.New();
        var binding = request.Binding is { Length: OpaqueToken.HashLength } kept ? kept : OpaqueToken.New();
        var nonce = OpaqueToken.New();
        var verifier = OpaqueToken.New();
        var challenge = new UpstreamChallenge(new Uri(issuer.Issuer + FederationPaths.Callback(provider.Name)), state, nonce, verifier, loginHint);
        Uri url;
        try
        {
            url = await protocol.BuildAuthorizationUrlAsync(provider, challenge, cancellationToken);
        }
        catch (UpstreamUnavailableException ex)
        {
            LogUnavailable(logger, provider.Name, ex.Message);
            return new ExternalSignInOutcome.ErrorPage(FederationFailure.Unavailable, provider.DisplayName);
        }

        signIns.Add(ExternalSignIn.Begin(Guid.NewGuid(), OpaqueToken.HashOf(state), OpaqueToken.HashOf(binding), provider.Id, nonce, verifier,
            request.Purpose, continuation, linkUserId, linkSessionId, now, request.Purpose == ExternalSignInPurpose.Proof ? request.ProvesSignInId : null));
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new ExternalSignInOutcome.ToUpstream(url, binding);
    }

    [LoggerMessage(EventId = 3801, Level = LogLevel.Warning, Message = "Upstream provider {Provider} could not be reached for a sign-in: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string provider, string reason);
}

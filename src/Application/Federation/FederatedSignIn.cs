using System.Text.RegularExpressions;
using AuthService.Application.Authorization;
using AuthService.Application.Authorization.Requests;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Email;
using AuthService.Application.SignIn;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Domain.Email;
using AuthService.Domain.Federation;
using AuthService.Domain.Sessions;

namespace AuthService.Application.Federation;

/// <summary>
/// What the callback and the proof page share: the authorization request a round trip continues (validated again when it
/// continues), the session's <c>amr</c>, and where a finished sign-in leads (docs/adr/0037 "The flow").
/// </summary>
public sealed partial class FederatedSignIn(AuthorizationContinuation authorizations, SignInContinuations continuations, IIssuerProvider issuer)
{
    /// <summary>
    /// RFC 8176 §2: <c>fed</c>, then the upstream's own values (OIDC Core §2 <c>amr</c>) that look like RFC 8176 method names
    /// (short lower-case tokens), so nothing the upstream sends can forge another shape of value into our ID tokens.
    /// </summary>
    public static IReadOnlyList<string> MethodsOf(UpstreamIdentity identity) =>
        [AuthenticationMethods.Federated, .. UpstreamMethods(identity.Methods)];

    /// <summary>The upstream's values this server keeps: RFC 8176-like tokens, at most <see cref="ExternalSignIn.MaxMethods"/>, no <c>fed</c> twice.</summary>
    public static IReadOnlyList<string> UpstreamMethods(IReadOnlyList<string> methods) =>
        [.. methods.Where(m => MethodPattern().IsMatch(m) && m != AuthenticationMethods.Federated).Distinct(StringComparer.Ordinal).Take(ExternalSignIn.MaxMethods)];

    /// <summary>
    /// Whether this server's own second factor must follow: the account has one and the upstream did not say it checked
    /// several factors (RFC 8176 §2 <c>mfa</c>).
    /// </summary>
    public static bool NeedsLocalSecondFactor(bool accountHasSecondFactor, IReadOnlyList<string> methods) =>
        accountHasSecondFactor && !methods.Contains(AuthenticationMethods.MultipleFactors, StringComparer.Ordinal);

    /// <summary>The authorization request the round trip continues, validated again; its error outcome when no longer valid.</summary>
    public async Task<(AuthorizationRequest? Request, ExternalSignInOutcome? Refusal)> AuthorizationOfAsync(ExternalSignIn signIn, CancellationToken cancellationToken)
    {
        if (signIn.Continuation is not { Kind: SignInContinuationKind.Authorization } continuation)
        {
            return (null, null);
        }

        var validation = await authorizations.ResolveAsync(continuation, cancellationToken);
        return validation is AuthorizationValidation.Valid valid
            ? (valid.Request, null)
            : (null, new ExternalSignInOutcome.Authorization(AuthorizationResponses.From(validation, issuer.Issuer)));
    }

    /// <summary>
    /// Signed in (a session's handle) or waiting for the second factor (a pending sign-in's handle): on to the authorization
    /// endpoint (the sign-in prompts satisfied, so consent, PKCE and the rest apply as after the password form), the device
    /// page, or the account page.
    /// </summary>
    public async Task<ExternalSignInOutcome> ContinueAsync(ExternalSignIn signIn, AuthorizationRequest? authorization, PasswordSignInResult result,
        CancellationToken cancellationToken) => signIn.Purpose switch
        {
            ExternalSignInPurpose.Authorization => new ExternalSignInOutcome.Authorization(SignInContinuations.Authorization(authorization!, result)),
            ExternalSignInPurpose.Device => new ExternalSignInOutcome.Device(
                await continuations.DeviceAsync(signIn.Continuation?.DeviceCodeHash, result, cancellationToken)),
            _ => new ExternalSignInOutcome.Account(result),
        };

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex MethodPattern();
}

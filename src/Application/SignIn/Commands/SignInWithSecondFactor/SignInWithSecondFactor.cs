using AuthService.Application.SignIn;
using AuthService.Application.Authorization;
using AuthService.Application.Authorization.Requests;
using AuthService.Application.Common.Interfaces;
using MediatR;

namespace AuthService.Application.SignIn.Commands.SignInWithSecondFactor;

/// <summary>The authorization flow's second-factor form, posted with the authorization request it belongs to.</summary>
public sealed record SignInWithSecondFactor(
    IReadOnlyDictionary<string, string> Parameters,
    SecondFactorProof Proof,
    string? PendingHandle,
    string? CurrentSessionHandle,
    string? RemoteAddress,
    string? UserAgent = null) : IRequest<InteractionOutcome>
{
    /// <summary>Never prints the code, the assertion or the handles.</summary>
    public override string ToString() => "SignInWithSecondFactor { (code redacted) }";
}

/// <summary>
/// The request is validated again, the code checked by <see cref="SecondFactorSignIn"/>; success continues the
/// authorization request as a password sign-in does, a wrong code shows the form again, a void pending sign-in the
/// password form.
/// </summary>
public sealed class SignInWithSecondFactorHandler(AuthorizationRequestResolver requests, SecondFactorSignIn secondFactors, IIssuerProvider issuer)
    : IRequestHandler<SignInWithSecondFactor, InteractionOutcome>
{
    public async Task<InteractionOutcome> Handle(SignInWithSecondFactor request, CancellationToken cancellationToken)
    {
        var validation = await requests.ResolveAsync(request.Parameters, cancellationToken);
        if (validation is not AuthorizationValidation.Valid { Request: var authorization })
        {
            return AuthorizationResponses.From(validation, issuer.Issuer);
        }

        var result = await secondFactors.CompleteAsync(request.PendingHandle, request.Proof, request.CurrentSessionHandle, request.RemoteAddress,
            request.UserAgent, cancellationToken);
        return result switch
        {
            { SessionHandle: { } handle } => new InteractionOutcome.Continue(authorization.ParametersWithout(Prompts.Login, Prompts.SelectAccount), handle),
            { PendingHandle: { } pending } => new InteractionOutcome.ShowSecondFactor(authorization, pending, Failed: true, result.RetryAfter),
            _ => new InteractionOutcome.ShowLogin(authorization, Username: null, Failed: true, result.RetryAfter),
        };
    }
}

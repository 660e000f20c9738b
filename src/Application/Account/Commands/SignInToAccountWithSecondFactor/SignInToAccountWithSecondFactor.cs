using AuthService.Application.SignIn;
using AuthService.Application.SignIn.Commands.SignIn;
using MediatR;

namespace AuthService.Application.Account.Commands.SignInToAccountWithSecondFactor;

/// <summary>The account page's second-factor form.</summary>
public sealed record SignInToAccountWithSecondFactor(SecondFactorProof Proof, string? PendingHandle, string? CurrentSessionHandle, string? RemoteAddress, string? UserAgent)
    : IRequest<PasswordSignInResult>
{
    /// <summary>Never prints the code, the assertion or the handles.</summary>
    public override string ToString() => "SignInToAccountWithSecondFactor { (code redacted) }";
}

/// <summary>A thin caller of <see cref="SecondFactorSignIn"/>, as <see cref="SignInToAccount.SignInToAccountHandler"/> is of the password step.</summary>
public sealed class SignInToAccountWithSecondFactorHandler(SecondFactorSignIn secondFactors)
    : IRequestHandler<SignInToAccountWithSecondFactor, PasswordSignInResult>
{
    public Task<PasswordSignInResult> Handle(SignInToAccountWithSecondFactor request, CancellationToken cancellationToken) =>
        secondFactors.CompleteAsync(request.PendingHandle, request.Proof, request.CurrentSessionHandle, request.RemoteAddress, request.UserAgent,
            cancellationToken);
}

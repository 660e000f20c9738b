using AuthService.Application.SignIn.Commands.SignIn;
using MediatR;

namespace AuthService.Application.Account.Commands.SignInToAccount;

/// <summary>The account page's sign-in form.</summary>
public sealed record SignInToAccount(string? Username, string? Password, string? CurrentSessionHandle, string? RemoteAddress, string? UserAgent)
    : IRequest<PasswordSignInResult>
{
    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"SignInToAccount {{ Username = {Username} }}";
}

/// <summary>
/// A thin caller of <see cref="PasswordSignIn"/> (lockout, throttling, audit, a new session handle), with no client:
/// the person signs in to this server itself.
/// </summary>
public sealed class SignInToAccountHandler(PasswordSignIn passwords) : IRequestHandler<SignInToAccount, PasswordSignInResult>
{
    public Task<PasswordSignInResult> Handle(SignInToAccount request, CancellationToken cancellationToken) =>
        passwords.SignInAsync(request.Username, request.Password, request.CurrentSessionHandle, request.RemoteAddress, request.UserAgent,
            clientId: null, cancellationToken);
}

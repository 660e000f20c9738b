using MediatR;

namespace AuthService.Application.Email.Commands.RequestPasswordReset;

/// <summary>Someone asks for a password-reset link for <paramref name="Email"/> (the POST of <c>/account/forgot-password</c>).</summary>
public sealed record RequestPasswordReset(string? Email, string? RemoteAddress) : IRequest<PasswordResetRequested>;

/// <summary>The answer does not depend on whether the address has an account: only a throttled request is told apart.</summary>
public enum PasswordResetRequested
{
    /// <summary>"If the address has an account, a link is on its way": the same words whatever happened.</summary>
    Accepted,

    /// <summary>Too many requests for this address or from this source (independent of any account).</summary>
    Throttled,

    /// <summary>Not an e-mail address at all.</summary>
    InvalidAddress,
}

/// <summary>
/// The request for a reset link, or the "no account" notice, by <see cref="EmailLinkRequests"/> (the same answer and work
/// either way: ASVS 6.3.8); the e-mail request worker writes the one or the other.
/// </summary>
public sealed class RequestPasswordResetHandler(EmailLinkRequests requests) : IRequestHandler<RequestPasswordReset, PasswordResetRequested>
{
    public Task<PasswordResetRequested> Handle(RequestPasswordReset request, CancellationToken cancellationToken) =>
        requests.RequestPasswordResetAsync(request.Email, request.RemoteAddress, cancellationToken);
}

using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
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
/// The same answer and the same work whether or not the address belongs to an account (ASVS 6.3.8; the account-enumeration
/// reports against Keycloak's reset flow are the cautionary tale): a random token is hashed and one outbox row written
/// either way, so the response time does not tell. A disabled account is treated as no account. Throttled per address and
/// per source before any lookup.
/// </summary>
public sealed class RequestPasswordResetHandler(IUserRepository users, EmailLinks links, IEmailRequestThrottle throttle, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RequestPasswordReset, PasswordResetRequested>
{
    public async Task<PasswordResetRequested> Handle(RequestPasswordReset request, CancellationToken cancellationToken)
    {
        var address = request.Email?.Trim();
        try
        {
            User.ValidateProfile(new UserProfile("-", address, EmailVerified: false, Name: null));
        }
        catch (DomainRuleViolationException)
        {
            return PasswordResetRequested.InvalidAddress;
        }

        if (string.IsNullOrEmpty(address))
        {
            return PasswordResetRequested.InvalidAddress;
        }

        var normalized = User.Normalize(address);
        if (!throttle.TryAcquire(normalized, request.RemoteAddress))
        {
            return PasswordResetRequested.Throttled;
        }

        var now = clock.GetUtcNow();
        var user = await users.FindByNormalizedEmailAsync(normalized, cancellationToken);
        if (user is { Disabled: false })
        {
            links.SendPasswordReset(user, now);
        }
        else
        {
            links.RecordNoAccount(address, now);
        }

        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return PasswordResetRequested.Accepted;
    }
}

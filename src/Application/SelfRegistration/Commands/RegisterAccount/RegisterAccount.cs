using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Application.Email;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
using MediatR;
using Microsoft.Extensions.Options;

namespace AuthService.Application.SelfRegistration.Commands.RegisterAccount;

/// <summary>Someone creates their own account (the POST of <c>/account/register</c>).</summary>
public sealed record RegisterAccount(string? Username, string? Email, string? Name, string? Password, string? ConfirmPassword, string? RemoteAddress)
    : IRequest<RegistrationOutcome>
{
    /// <summary>Never the passwords.</summary>
    public override string ToString() => $"RegisterAccount {{ Username = {Username}, Email = {Email}, Name = {Name}, (passwords redacted) }}";
}

/// <summary>What the registration page shows next.</summary>
public abstract record RegistrationOutcome
{
    private RegistrationOutcome()
    {
    }

    /// <summary>"Check your e-mail": the same answer whether an account was created or the address already had one (ASVS 6.3.8).</summary>
    public sealed record Accepted : RegistrationOutcome;

    /// <summary>Too many requests for this address or from this source.</summary>
    public sealed record Throttled : RegistrationOutcome;

    /// <summary>The form is shown again with <paramref name="Message"/>; nothing was written.</summary>
    public sealed record Invalid(string Message) : RegistrationOutcome;

    public static readonly RegistrationOutcome Done = new Accepted();

    public static readonly RegistrationOutcome Busy = new Throttled();
}

/// <summary>
/// Creates an account with an unverified address and sends the verification link in the same save (the outbox: the user,
/// the token and the message together or not at all). An address that already has an account gets no new account: its owner
/// is told someone tried to register with it, and the page says "check your e-mail" either way, after the same work (the
/// password is hashed in both cases), so the answer does not enumerate addresses (ASVS 6.3.8). A taken username cannot be
/// hidden (the person must choose another), and says so only after the form passed every other rule. Throttled per address
/// and per source like the reset requests (ASVS 2.4.1).
/// </summary>
public sealed class RegisterAccountHandler(
    IUserRepository users,
    EmailLinks links,
    IEmailRequestThrottle throttle,
    IPasswordHasher hasher,
    IUnitOfWork unitOfWork,
    IOptions<SelfRegistrationOptions> options,
    TimeProvider clock)
    : IRequestHandler<RegisterAccount, RegistrationOutcome>
{
    public async Task<RegistrationOutcome> Handle(RegisterAccount request, CancellationToken cancellationToken)
    {
        var (profile, refusal) = NewAccountForm.Check(request.Username, request.Email, emailVerified: false, request.Name, request.Password,
            request.ConfirmPassword);
        if (profile is null)
        {
            return new RegistrationOutcome.Invalid(refusal!);
        }

        var normalizedEmail = User.Normalize(profile.Email!);
        if (!options.Value.AllowsDomainOf(normalizedEmail))
        {
            return new RegistrationOutcome.Invalid("Accounts cannot be created with an address at this domain.");
        }

        if (!throttle.TryAcquire(normalizedEmail, request.RemoteAddress))
        {
            return RegistrationOutcome.Busy;
        }

        if (await users.FindByNormalizedUsernameAsync(User.Normalize(profile.Username), cancellationToken) is not null)
        {
            return new RegistrationOutcome.Invalid(NewAccountForm.UsernameTaken);
        }

        // Hashed whether or not the account is created: the answer's timing does not tell a known address.
        var hash = hasher.Hash(request.Password!);
        var now = clock.GetUtcNow();
        if (await users.FindByNormalizedEmailAsync(normalizedEmail, cancellationToken) is { } owner)
        {
            links.SendRegistrationAttempt(owner, now);
        }
        else
        {
            var user = User.Register(Guid.NewGuid(), profile, hash, SecurityStamp.New(), now);
            users.Add(user);
            links.SendVerification(user, now);
        }

        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return RegistrationOutcome.Done;
    }
}

using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Application.SelfRegistration;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Tenants.Commands.RegisterFromTenantInvitation;

/// <summary>
/// A person without an account creates one from the invitation page and joins the tenant in the same step (docs/adr/0038,
/// "Joining"). The address is the invitation's, never typed: the link was sent to it, so presenting the link proves control
/// of the mailbox as the verification link of self-registration would (ASVS 5.0 6.4), and the account's address is saved
/// verified, as accepting an admin's user invitation does (docs/adr/0036).
/// </summary>
public sealed record RegisterFromTenantInvitation(string? Token, string? Username, string? Name, string? Password, string? ConfirmPassword, string? RemoteAddress)
    : IRequest<TenantInvitationOutcome>
{
    /// <summary>Never the token or the passwords.</summary>
    public override string ToString() => $"RegisterFromTenantInvitation {{ Username = {Username}, Name = {Name}, (token and passwords redacted) }}";
}

/// <summary>
/// The form runs the rules of self-registration (<see cref="NewAccountForm"/>) and its throttle, but not its switch
/// (<c>Auth:SelfRegistration:Enabled</c>) nor its domain list: an invitation is the tenant administrator's decision to let
/// this address in, bounded by the tenant's own <see cref="TenantPolicy.AllowedEmailDomains"/> (checked by the invitation).
/// An address that has an account already gets none: the page sends the person to sign in. That tells the link holder
/// whether the one invited address has an account, nothing about any other address. The user, the used-up invitation and
/// the membership are saved together, or nothing is (a racing registration or acceptance loses on the unique indexes or
/// the invitation's version).
/// </summary>
public sealed class RegisterFromTenantInvitationHandler(
    TenantInvitationLinks links,
    IUserRepository users,
    ITenantMembershipRepository memberships,
    IEmailRequestThrottle throttle,
    IPasswordHasher hasher,
    IUnitOfWork unitOfWork,
    TimeProvider clock)
    : IRequestHandler<RegisterFromTenantInvitation, TenantInvitationOutcome>
{
    public async Task<TenantInvitationOutcome> Handle(RegisterFromTenantInvitation request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();

        // Resolved as for nobody signed in: the creation form is offered only then, and the account to be created is the one checked.
        var resolved = await links.ResolveAsync(request.Token, sessionHandle: null, now, cancellationToken);
        if (resolved is not { Outcome: TenantInvitationOutcome.SignInFirst form } || resolved.Invitation is not { } invitation)
        {
            return resolved?.Outcome ?? new TenantInvitationOutcome.Refused(null);
        }

        var (profile, refusal) = NewAccountForm.Check(request.Username, invitation.Email, emailVerified: true, request.Name, request.Password,
            request.ConfirmPassword);
        if (profile is null)
        {
            return form with { RegistrationRefusal = refusal };
        }

        if (!throttle.TryAcquire(invitation.NormalizedEmail, request.RemoteAddress))
        {
            return new TenantInvitationOutcome.Throttled();
        }

        if (await users.FindByNormalizedEmailAsync(invitation.NormalizedEmail, cancellationToken) is not null)
        {
            return new TenantInvitationOutcome.AccountExists(resolved.Tenant.DisplayName);
        }

        if (await users.FindByNormalizedUsernameAsync(User.Normalize(profile.Username), cancellationToken) is not null)
        {
            return form with { RegistrationRefusal = NewAccountForm.UsernameTaken };
        }

        var user = User.Register(Guid.NewGuid(), profile, hasher.Hash(request.Password!), SecurityStamp.New(), now);
        var (use, membership) = invitation.Accept(resolved.Tenant, user, Guid.NewGuid(), now);
        if (membership is null)
        {
            return new TenantInvitationOutcome.Refused(use);
        }

        users.Add(user);
        memberships.Add(membership);
        return await unitOfWork.SaveChangesAsync(cancellationToken) switch
        {
            SaveResult.Saved => new TenantInvitationOutcome.Registered(resolved.Tenant.DisplayName, membership.Roles, user.Username),

            // The username or the address was taken by a registration racing this one: nothing was written.
            SaveResult.UniquenessConflict => form with { RegistrationRefusal = "This username or address was taken a moment ago: choose another username, or sign in." },
            _ => new TenantInvitationOutcome.Refused(TenantInvitationUse.AlreadyUsed),
        };
    }
}

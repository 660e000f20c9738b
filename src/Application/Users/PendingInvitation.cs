using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Users;

namespace AuthService.Application.Users;

/// <summary>
/// The rule the invitation commands share (docs/adr/0036): an invitation is open while its user has no password. Once the
/// person chose one through the link (or an administrator set one) there is nothing left to re-send or withdraw.
/// </summary>
internal static class PendingInvitation
{
    public static void Ensure(User user)
    {
        if (user.PasswordHash is not null)
        {
            throw new StateConflictException("The user has a password: the invitation was accepted (or the password set otherwise), so there is none to re-send or withdraw.");
        }
    }
}

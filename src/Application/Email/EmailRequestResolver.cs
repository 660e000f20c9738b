using AuthService.Domain.Email;
using AuthService.Domain.Users;

namespace AuthService.Application.Email;

/// <summary>
/// Answers an <see cref="EmailRequest"/> once the request path has long answered the person: an enabled account with the
/// address gets its link (a new <see cref="EmailToken"/> and the <see cref="OutgoingEmail"/> carrying it, the sign-in link
/// with the request's continuation); an unknown address or a disabled account gets the "no account" notice and no token.
/// Everything is added to the caller's unit of work, which also marks the request handled: the e-mail request worker saves
/// the three together, so a request answered twice (a lease that ran out, a second replica) conflicts on the request's
/// version instead of sending a second link.
/// </summary>
public sealed class EmailRequestResolver(IUserRepository users, EmailLinks links)
{
    public async Task ResolveAsync(EmailRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var signIn = request.Kind == EmailRequestKind.SignInLink;
        var user = await users.FindByNormalizedEmailAsync(request.NormalizedEmail, cancellationToken);
        if (user is not { Disabled: false })
        {
            // A disabled account is treated as no account (ASVS 6.3.8): its owner cannot use a link anyway.
            links.RecordNoAccount(request.Address, now, signIn);
        }
        else if (signIn)
        {
            links.SendMagicLink(user, now, request.Continuation);
        }
        else
        {
            links.SendPasswordReset(user, now);
        }
    }
}

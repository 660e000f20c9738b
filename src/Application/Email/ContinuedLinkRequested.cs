using AuthService.Application.Email.Commands.RequestPasswordReset;

namespace AuthService.Application.Email;

/// <summary>
/// What asking for a sign-in link on a protocol page (the authorization flow's sign-in, the device page's) came to: the
/// answer every address gets (ASVS 6.3.8), or, when what the link would continue is not valid (an expired or altered
/// request, a wrong device code), <see cref="Instead"/>: the page that flow shows for it, and no link is sent.
/// </summary>
public sealed record ContinuedLinkRequested<TPage>(PasswordResetRequested Answer, TPage? Instead = null)
    where TPage : class;

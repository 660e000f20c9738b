using AuthService.Application.Authorization.Requests;
using MediatR;

namespace AuthService.Application.Authorization.Queries.GetRedirectUri;

/// <summary>
/// The redirect URI an authorization request carried through the pages will answer to, or null when the request is not
/// valid. A pushed or signed request travels as a sealed request without its <c>redirect_uri</c> beside it (RFC 9126 §4,
/// RFC 9101 §6.3), and a plain request may leave it out when the client registered one (RFC 6749 §3.1.2.3); so a page that
/// must allow the redirect (its CSP <c>form-action</c>, which browsers also apply to the redirects after a form post)
/// resolves it here, never from the raw parameters. Reads only: nothing is used up.
/// </summary>
public sealed record GetRedirectUri(IReadOnlyDictionary<string, string> Parameters) : IRequest<string?>;

public sealed class GetRedirectUriHandler(AuthorizationRequestResolver requests) : IRequestHandler<GetRedirectUri, string?>
{
    public async Task<string?> Handle(GetRedirectUri request, CancellationToken cancellationToken) =>
        await requests.ResolveAsync(request.Parameters, cancellationToken) is AuthorizationValidation.Valid valid ? valid.Request.RedirectUri : null;
}

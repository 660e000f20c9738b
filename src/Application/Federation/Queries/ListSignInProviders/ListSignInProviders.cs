using AuthService.Domain.Federation;
using MediatR;

namespace AuthService.Application.Federation.Queries.ListSignInProviders;

/// <summary>The sign-in pages' buttons: every enabled upstream provider, by name.</summary>
public sealed record ListSignInProviders : IRequest<IReadOnlyList<SignInProvider>>;

/// <summary>
/// A button: the provider's name (its path segment), its label, and the origin its authorization endpoint is expected on
/// (the page's CSP <c>form-action</c> must allow the redirect that follows the button's post).
/// </summary>
public sealed record SignInProvider(string Name, string DisplayName, string? UpstreamOrigin);

public sealed class ListSignInProvidersHandler(IExternalProviderRepository providers) : IRequestHandler<ListSignInProviders, IReadOnlyList<SignInProvider>>
{
    public async Task<IReadOnlyList<SignInProvider>> Handle(ListSignInProviders request, CancellationToken cancellationToken) =>
        [.. (await providers.ListAsync(enabledOnly: true, cancellationToken)).Select(p => new SignInProvider(p.Name, p.DisplayName, p.AuthorizationOrigin()))];
}

using AuthService.Domain.Federation;
using MediatR;

namespace AuthService.Application.Federation.Queries.ListSignInProviders;

/// <summary>The sign-in pages' buttons: every enabled upstream provider, by name.</summary>
public sealed record ListSignInProviders : IRequest<IReadOnlyList<SignInProvider>>;

/// <summary>A button: the provider's name (its path segment) and its label.</summary>
public sealed record SignInProvider(string Name, string DisplayName);

public sealed class ListSignInProvidersHandler(IExternalProviderRepository providers) : IRequestHandler<ListSignInProviders, IReadOnlyList<SignInProvider>>
{
    public async Task<IReadOnlyList<SignInProvider>> Handle(ListSignInProviders request, CancellationToken cancellationToken) =>
        [.. (await providers.ListAsync(enabledOnly: true, cancellationToken)).Select(p => new SignInProvider(p.Name, p.DisplayName))];
}

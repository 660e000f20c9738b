using AuthService.Application.Common.Exceptions;
using AuthService.Application.Federation.Common;
using AuthService.Domain.Federation;
using MediatR;

namespace AuthService.Application.Federation.Queries.GetExternalProvider;

public sealed record GetExternalProvider(string Name) : IRequest<ExternalProviderResult>;

public sealed class GetExternalProviderHandler(IExternalProviderRepository providers) : IRequestHandler<GetExternalProvider, ExternalProviderResult>
{
    public async Task<ExternalProviderResult> Handle(GetExternalProvider request, CancellationToken cancellationToken)
    {
        var provider = await providers.FindByNameAsync(request.Name, cancellationToken) ?? throw new NotFoundException("External provider", request.Name);
        return new ExternalProviderResult(ExternalProviderResponse.From(provider), provider.Version);
    }
}

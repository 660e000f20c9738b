using AuthService.Application.Common.Exceptions;
using AuthService.Application.Resources.Common;
using AuthService.Domain.Resources;
using MediatR;

namespace AuthService.Application.Resources.Queries.GetResource;

public sealed record GetResource(string Resource) : IRequest<ResourceResult>;

public sealed class GetResourceHandler(IProtectedResourceRepository resources) : IRequestHandler<GetResource, ResourceResult>
{
    public async Task<ResourceResult> Handle(GetResource request, CancellationToken cancellationToken)
    {
        var resource = await resources.FindAsync(request.Resource, cancellationToken) ?? throw new NotFoundException("Resource", request.Resource);
        return new ResourceResult(ResourceResponse.From(resource), resource.Version);
    }
}

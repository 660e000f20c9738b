using AuthService.Application.Common.Exceptions;
using AuthService.Application.Resources.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Resources;
using MediatR;

namespace AuthService.Application.Resources.Commands.UpdateResource;

/// <summary>Replaces a resource's settings (absent members take their defaults); the identifier may be repeated, not changed.</summary>
public sealed record UpdateResource(string Resource, ResourceMetadata Metadata, int? ExpectedVersion) : IRequest<ResourceResult>;

public sealed class UpdateResourceHandler(IProtectedResourceRepository resources, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<UpdateResource, ResourceResult>
{
    public async Task<ResourceResult> Handle(UpdateResource request, CancellationToken cancellationToken)
    {
        if (request.Metadata.Resource is { } named && named != request.Resource)
        {
            throw RequestValidationException.For("resource", "resource in the body must match the resource of the path; a resource cannot be renamed.");
        }

        var resource = await resources.FindAsync(request.Resource, cancellationToken) ?? throw new NotFoundException("Resource", request.Resource);
        Concurrency.Check(resource.Version, request.ExpectedVersion);
        if (resource.Reconfigure(request.Metadata.ToSettings(request.Resource), clock.GetUtcNow()))
        {
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        }

        return new ResourceResult(ResourceResponse.From(resource), resource.Version);
    }
}

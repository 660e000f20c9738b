using AuthService.Application.Common.Exceptions;
using AuthService.Application.Resources.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Resources;
using MediatR;

namespace AuthService.Application.Resources.Commands.EnableResource;

/// <summary>Enables a disabled resource; enabling an enabled one is a 400 naming <c>enabled</c>.</summary>
public sealed record EnableResource(string Resource, int? ExpectedVersion) : IRequest<ResourceResult>;

public sealed class EnableResourceHandler(IProtectedResourceRepository resources, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<EnableResource, ResourceResult>
{
    public async Task<ResourceResult> Handle(EnableResource request, CancellationToken cancellationToken)
    {
        var resource = await resources.FindAsync(request.Resource, cancellationToken) ?? throw new NotFoundException("Resource", request.Resource);
        Concurrency.Check(resource.Version, request.ExpectedVersion);
        if (!resource.Enable(clock.GetUtcNow()))
        {
            throw RequestValidationException.For("enabled", "The resource is already enabled.");
        }

        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new ResourceResult(ResourceResponse.From(resource), resource.Version);
    }
}

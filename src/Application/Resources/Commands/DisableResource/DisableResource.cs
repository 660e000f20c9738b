using AuthService.Application.Common.Exceptions;
using AuthService.Application.Resources.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Resources;
using MediatR;

namespace AuthService.Application.Resources.Commands.DisableResource;

/// <summary>
/// Disables a resource: no new token names it (<c>invalid_target</c>); tokens issued already stay valid until they
/// expire. Disabling a disabled resource is a 400 naming <c>enabled</c>.
/// </summary>
public sealed record DisableResource(string Resource, int? ExpectedVersion) : IRequest<ResourceResult>;

public sealed class DisableResourceHandler(IProtectedResourceRepository resources, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<DisableResource, ResourceResult>
{
    public async Task<ResourceResult> Handle(DisableResource request, CancellationToken cancellationToken)
    {
        var resource = await resources.FindAsync(request.Resource, cancellationToken) ?? throw new NotFoundException("Resource", request.Resource);
        Concurrency.Check(resource.Version, request.ExpectedVersion);
        if (!resource.Disable(clock.GetUtcNow()))
        {
            throw RequestValidationException.For("enabled", "The resource is already disabled.");
        }

        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new ResourceResult(ResourceResponse.From(resource), resource.Version);
    }
}

using AuthService.Application.Common.Exceptions;
using AuthService.Application.Resources.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Resources;
using MediatR;

namespace AuthService.Application.Resources.Commands.RegisterResource;

/// <summary>Registers a protected resource (RFC 8707); 409 when its identifier is registered already.</summary>
public sealed record RegisterResource(ResourceMetadata Metadata) : IRequest<ResourceResult>;

public sealed class RegisterResourceHandler(IProtectedResourceRepository resources, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RegisterResource, ResourceResult>
{
    public async Task<ResourceResult> Handle(RegisterResource request, CancellationToken cancellationToken)
    {
        var identifier = request.Metadata.Resource ?? throw RequestValidationException.For("resource", "resource is required.");

        // Every rule is checked before the store is asked, so bad input is a 400 whatever exists.
        var resource = ProtectedResource.Register(identifier, request.Metadata.ToSettings(identifier), clock.GetUtcNow());
        if (await resources.FindAsync(identifier, cancellationToken) is not null)
        {
            throw new ConflictException(SaveResult.UniquenessConflict);
        }

        resources.Add(resource);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new ResourceResult(ResourceResponse.From(resource), resource.Version);
    }
}

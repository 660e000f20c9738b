using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Common;
using AuthService.Domain.Resources;
using MediatR;

namespace AuthService.Application.Resources.Commands.DeleteResource;

/// <summary>
/// Deletes a resource: no new token names it. Grants that named it keep its identifier, so a refresh for it is
/// refused (<c>invalid_target</c>) unless a resource is registered again under the same identifier.
/// </summary>
public sealed record DeleteResource(string Resource, int? ExpectedVersion) : IRequest<Unit>;

public sealed class DeleteResourceHandler(IProtectedResourceRepository resources, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<DeleteResource, Unit>
{
    public async Task<Unit> Handle(DeleteResource request, CancellationToken cancellationToken)
    {
        var resource = await resources.FindAsync(request.Resource, cancellationToken) ?? throw new NotFoundException("Resource", request.Resource);
        Concurrency.Check(resource.Version, request.ExpectedVersion);
        resource.Delete(clock.GetUtcNow());
        resources.Remove(resource);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}

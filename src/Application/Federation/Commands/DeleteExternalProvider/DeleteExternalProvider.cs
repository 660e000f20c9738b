using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Common;
using AuthService.Domain.Federation;
using MediatR;

namespace AuthService.Application.Federation.Commands.DeleteExternalProvider;

/// <summary>
/// Deletes a provider no identity is linked to (docs/adr/0037): with links it is a 409, since deleting it would cut
/// people off from their accounts; disable it instead (<c>enabled: false</c>), which keeps the links for later.
/// </summary>
public sealed record DeleteExternalProvider(string Name, int? ExpectedVersion) : IRequest<Unit>;

public sealed class DeleteExternalProviderHandler(
    IExternalProviderRepository providers, IExternalIdentityRepository identities, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<DeleteExternalProvider, Unit>
{
    public async Task<Unit> Handle(DeleteExternalProvider request, CancellationToken cancellationToken)
    {
        var provider = await providers.FindByNameAsync(request.Name, cancellationToken) ?? throw new NotFoundException("External provider", request.Name);
        Concurrency.Check(provider.Version, request.ExpectedVersion);
        if (await identities.AnyForProviderAsync(provider.Id, cancellationToken))
        {
            throw new StateConflictException("Accounts are linked through this provider: deleting it would cut them off. Disable it instead (enabled: false).");
        }

        provider.Delete(clock.GetUtcNow());
        providers.Remove(provider);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}

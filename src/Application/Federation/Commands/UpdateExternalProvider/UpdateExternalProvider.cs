using AuthService.Application.Common.Exceptions;
using AuthService.Application.Federation.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Federation;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Federation.Commands.UpdateExternalProvider;

/// <summary>
/// Replaces a provider's settings (absent members take the preset's or the defaults); the name may be repeated, not
/// changed (it is the callback path and the key the secret is encrypted under). An absent secret keeps the stored one.
/// </summary>
public sealed record UpdateExternalProvider(string Name, ExternalProviderMetadata? Metadata, int? ExpectedVersion) : IRequest<ExternalProviderResult>, IExternalProviderRequest
{
    public override string ToString() => $"UpdateExternalProvider {{ Name = {Name}, {Metadata} }}";
}

public sealed class UpdateExternalProviderValidator : AbstractValidator<UpdateExternalProvider>
{
    public UpdateExternalProviderValidator() => Include(new ExternalProviderRequestRules<UpdateExternalProvider>());
}

public sealed class UpdateExternalProviderHandler(IExternalProviderRepository providers, IExternalProviderSecrets secrets, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<UpdateExternalProvider, ExternalProviderResult>
{
    public async Task<ExternalProviderResult> Handle(UpdateExternalProvider request, CancellationToken cancellationToken)
    {
        var metadata = request.Metadata!;
        if (metadata.Name is { } named && named != request.Name)
        {
            throw RequestValidationException.For("name", "name in the body must match the provider of the path; a provider cannot be renamed.");
        }

        var provider = await providers.FindByNameAsync(request.Name, cancellationToken) ?? throw new NotFoundException("External provider", request.Name);
        Concurrency.Check(provider.Version, request.ExpectedVersion);
        if (provider.Update(metadata.ToSettings(DeclaredSecret.Protect(secrets, provider.Name, metadata, provider)), clock.GetUtcNow()))
        {
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        }

        return new ExternalProviderResult(ExternalProviderResponse.From(provider), provider.Version);
    }
}

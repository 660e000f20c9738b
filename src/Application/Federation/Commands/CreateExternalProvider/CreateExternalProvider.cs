using AuthService.Application.Common.Exceptions;
using AuthService.Application.Federation.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Federation;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Federation.Commands.CreateExternalProvider;

/// <summary>Creates an upstream provider (docs/adr/0037 "Administration"); 409 when its name is taken.</summary>
public sealed record CreateExternalProvider(ExternalProviderMetadata? Metadata) : IRequest<ExternalProviderResult>, IExternalProviderRequest
{
    public override string ToString() => $"CreateExternalProvider {{ {Metadata} }}";
}

public sealed class CreateExternalProviderValidator : AbstractValidator<CreateExternalProvider>
{
    public CreateExternalProviderValidator()
    {
        Include(new ExternalProviderRequestRules<CreateExternalProvider>());
        RuleFor(x => x.Metadata!.Name).NotEmpty().When(x => x.Metadata is not null).OverridePropertyName("name").WithMessage("name is required.");
    }
}

public sealed class CreateExternalProviderHandler(IExternalProviderRepository providers, IExternalProviderSecrets secrets, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<CreateExternalProvider, ExternalProviderResult>
{
    public async Task<ExternalProviderResult> Handle(CreateExternalProvider request, CancellationToken cancellationToken)
    {
        var metadata = request.Metadata!;
        var name = metadata.Name!;

        // The name is checked before the secret is encrypted under it; every rule before the store is asked, so bad input is a 400 whatever exists.
        ExternalProvider.ValidateName(name);

        var provider = ExternalProvider.Create(Guid.NewGuid(), name, metadata.ToSettings(DeclaredSecret.Protect(secrets, name, metadata, existing: null)), clock.GetUtcNow());
        if (await providers.FindByNameAsync(name, cancellationToken) is not null)
        {
            throw new ConflictException(SaveResult.UniquenessConflict);
        }

        providers.Add(provider);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new ExternalProviderResult(ExternalProviderResponse.From(provider), provider.Version);
    }
}

using AuthService.Application.Common.Exceptions;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Tenants.Commands.CreateTenant;

/// <summary>Creates a tenant (platform administrator only, docs/adr/0038); 409 when the slug is taken.</summary>
public sealed record CreateTenant(TenantBody? Body) : IRequest<TenantResult>;

public sealed class CreateTenantValidator : AbstractValidator<CreateTenant>
{
    public CreateTenantValidator()
    {
        RuleFor(x => x.Body).NotNull().OverridePropertyName("body").WithMessage("A JSON object with slug and display_name is required.");
        RuleFor(x => x.Body!.Slug).NotEmpty().When(x => x.Body is not null).OverridePropertyName("slug").WithMessage("slug is required.");
        RuleFor(x => x.Body!.Status).Must(s => s is null || TenantStatuses.Parse(s) is not null).When(x => x.Body is not null)
            .OverridePropertyName("status").WithMessage("status is active or suspended.");
    }
}

public sealed class CreateTenantHandler(ITenantRepository tenants, IUnitOfWork unitOfWork, TimeProvider clock) : IRequestHandler<CreateTenant, TenantResult>
{
    public async Task<TenantResult> Handle(CreateTenant request, CancellationToken cancellationToken)
    {
        var body = request.Body!;
        // Every rule before the store is asked, so bad input is a 400 whatever exists.
        var tenant = Tenant.Create(Guid.NewGuid(), body.Slug, body.DisplayName, TenantStatuses.Parse(body.Status) ?? TenantStatus.Active,
            (body.Policy ?? new TenantPolicyBody()).ToPolicy(), clock.GetUtcNow());
        if (await tenants.FindBySlugAsync(tenant.Slug, cancellationToken) is not null)
        {
            throw new ConflictException(SaveResult.UniquenessConflict);
        }

        tenants.Add(tenant);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new TenantResult(TenantResponse.From(tenant), tenant.Version);
    }
}

using AuthService.Application.Common.Exceptions;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Tenants.Commands.UpdateTenant;

/// <summary>
/// Replaces a tenant's display name, status and policy (absent <c>status</c> keeps it; absent <c>policy</c> members take
/// the defaults). The slug may be repeated, never changed. A tenant administrator may change the name and the policy but
/// not the status: suspending or reactivating a tenant is the platform's decision (403).
/// </summary>
public sealed record UpdateTenant(Guid TenantId, TenantBody? Body, int? ExpectedVersion, TenantCaller Caller) : IRequest<TenantResult>;

public sealed class UpdateTenantValidator : AbstractValidator<UpdateTenant>
{
    public UpdateTenantValidator()
    {
        RuleFor(x => x.Body).NotNull().OverridePropertyName("body").WithMessage("A JSON object with display_name is required.");
        RuleFor(x => x.Body!.Status).Must(s => s is null || TenantStatuses.Parse(s) is not null).When(x => x.Body is not null)
            .OverridePropertyName("status").WithMessage("status is active or suspended.");
    }
}

public sealed class UpdateTenantHandler(TenantAdministration administration, IUnitOfWork unitOfWork, TimeProvider clock) : IRequestHandler<UpdateTenant, TenantResult>
{
    public async Task<TenantResult> Handle(UpdateTenant request, CancellationToken cancellationToken)
    {
        var body = request.Body!;
        var policy = (body.Policy ?? new TenantPolicyBody()).ToPolicy();
        var (tenant, actor) = await administration.OpenAsync(request.TenantId, request.Caller, cancellationToken);
        if (body.Slug is { } slug && slug != tenant.Slug)
        {
            throw RequestValidationException.For("slug", "slug in the body must match the tenant's; a slug never changes.");
        }

        var status = TenantStatuses.Parse(body.Status) ?? tenant.Status;
        if (!actor.IsPlatform && status != tenant.Status)
        {
            throw new ForbiddenOperationException("Only the platform administrator suspends or reactivates a tenant.");
        }

        Concurrency.Check(tenant.Version, request.ExpectedVersion);
        if (tenant.Update(body.DisplayName, status, policy, clock.GetUtcNow()))
        {
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        }

        return new TenantResult(TenantResponse.From(tenant), tenant.Version);
    }
}

using AuthService.Application.Tenants.Common;
using MediatR;

namespace AuthService.Application.Tenants.Queries.GetTenant;

public sealed record GetTenant(Guid TenantId, TenantCaller Caller) : IRequest<TenantResult>;

public sealed class GetTenantHandler(TenantAdministration administration) : IRequestHandler<GetTenant, TenantResult>
{
    public async Task<TenantResult> Handle(GetTenant request, CancellationToken cancellationToken)
    {
        var (tenant, _) = await administration.OpenAsync(request.TenantId, request.Caller, cancellationToken);
        return new TenantResult(TenantResponse.From(tenant), tenant.Version);
    }
}

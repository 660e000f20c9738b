using System.Security.Claims;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Tenants;
using AuthService.Domain.Users;
using Microsoft.AspNetCore.Authorization;

namespace AuthService.WebApi.Admin;

/// <summary>
/// The tenant admin policy (docs/adr/0038): the platform administrator (an admin client's token with the <c>admin</c>
/// scope) passes for every tenant; a user's token with the <c>tenant_admin</c> scope passes only for the tenant named in
/// the route, and only while its user exists, is enabled and holds <c>owner</c> or <c>admin</c> there, read from the
/// database on every request, so a removed role stops working at the next request (ASVS 5.0 8.3.2). Any other tenant
/// is refused with the same 403 whether it exists or not (ASVS 5.0 8.4.1: no operation reaches a tenant the caller has no
/// permission in, and the answer does not tell which tenants exist). While a tenant is suspended its own administrators'
/// tokens are refused too (403): suspension is the platform's decision about its customer, so only the platform still
/// manages the tenant (and reactivates it). The tenant is read only after the membership was found, so the 403 still says
/// nothing about tenants the caller does not manage.
/// </summary>
public static class TenantAdminAuthorization
{
    public const string Policy = "tenant_admin";
    public const string RouteParameter = "tenantId";

    /// <summary>The caller of a request the policy admitted: the platform, or the token's user.</summary>
    public static TenantCaller Caller(HttpContext http) =>
        IsPlatformAdmin(http.User) ? TenantCaller.Platform
        : Guid.TryParse(http.User.FindFirstValue(AdminAuthenticationHandler.SubjectClaim), out var userId) ? new TenantCaller(userId)
        : throw new InvalidOperationException("The tenant admin policy admitted a request without a caller.");

    internal static bool IsPlatformAdmin(ClaimsPrincipal user) =>
        !user.HasClaim(c => c.Type == AdminAuthenticationHandler.SubjectClaim)
        && user.HasClaim(AdminAuthenticationHandler.ScopeClaim, AdminAuthenticationHandler.Scope);

    public sealed class Requirement : IAuthorizationRequirement;

    /// <summary>Scoped: it reads the membership through the request's own repositories.</summary>
    public sealed class Handler(IHttpContextAccessor accessor, ITenantMembershipRepository memberships, ITenantRepository tenants, IUserRepository users)
        : AuthorizationHandler<Requirement>
    {
        protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, Requirement requirement)
        {
            if (IsPlatformAdmin(context.User))
            {
                context.Succeed(requirement);
                return;
            }

            var http = accessor.HttpContext;
            if (http is null
                || !context.User.HasClaim(AdminAuthenticationHandler.ScopeClaim, AdminAuthenticationHandler.TenantAdminScope)
                || !Guid.TryParse(context.User.FindFirstValue(AdminAuthenticationHandler.SubjectClaim), out var userId)
                || !Guid.TryParse(http.GetRouteValue(RouteParameter) as string, out var tenantId))
            {
                return;
            }

            var cancellationToken = http.RequestAborted;
            if (await memberships.FindAsync(tenantId, userId, cancellationToken) is { ManagesTenant: true }
                && await users.FindByIdAsync(userId, cancellationToken) is { Disabled: false }
                && await tenants.FindAsync(tenantId, cancellationToken) is { Status: TenantStatus.Active })
            {
                context.Succeed(requirement);
            }
        }
    }
}

using AuthService.WebApi.Admin;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary>
/// The admin REST API under <c>/admin</c> (docs/adr/0013): every route needs an admin token
/// (<see cref="AdminAuthenticationHandler"/>), answers JSON in snake_case (RFC 7591 names for clients),
/// errors as RFC 9457 problem details, lists as <c>{"items": [...], "next_cursor": ...}</c>, single
/// resources with an <c>ETag</c> that <c>If-Match</c> may name on writes (412 when stale). Nothing is cached.
/// The endpoints only translate HTTP to MediatR requests; the rules live in the handlers and aggregates.
/// </summary>
public static class AdminApi
{
    public const string Prefix = "/admin";

    public static WebApplication MapAdminApi(this WebApplication app)
    {
        var admin = Group(app).RequireAuthorization(AdminAuthenticationHandler.Policy);

        admin.MapAuditEndpoints();
        admin.MapClientEndpoints();
        admin.MapResourceEndpoints();
        admin.MapExternalProviderEndpoints();
        admin.MapUserEndpoints();
        admin.MapSigningKeyEndpoints();
        admin.MapConsentEndpoints();
        admin.MapJobEndpoints();
        admin.MapInitialAccessTokenEndpoints();
        admin.MapLogoutNotificationEndpoints();
        admin.MapEmailAdminEndpoints();
        admin.MapWebhookEndpoints();
        // docs/adr/0038: its own group, since some of its routes also admit tenant administrators (each route names its policy).
        Group(app).MapTenantEndpoints();
        // docs/adr/0039 "Tenant administrators' subscriptions": a tenant's own webhooks, under the tenant_admin policy.
        Group(app).MapTenantWebhookEndpoints();
        app.MapJobDashboard();
        return app;
    }

    private static RouteGroupBuilder Group(WebApplication app) =>
        app.MapGroup(Prefix)
            .AddEndpointFilter(static async (context, next) =>
            {
                context.HttpContext.Response.Headers.CacheControl = "no-store";
                return await next(context);
            })
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
}

using AuthService.Infrastructure;
using AuthService.WebApi.Admin;
using AuthService.WebApi.Endpoints.Protocol;
using AuthService.WebApi.Middleware;
using AuthService.WebApi.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.OpenApi;

namespace AuthService.WebApi;

public static class DependencyInjection
{
    public static IServiceCollection AddWebApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddSingleton<Interaction.BrowserCookies>();
        services.AddSingleton<Endpoints.Interaction.PasskeyCookie>();
        services.AddSingleton<MutualTls.ClientCertificateSource>();
        services.AddExceptionHandler<ExceptionMapping>();
        services.Configure<FormOptions>(o =>
        {
            // Protocol forms are small; these caps keep a hostile body cheap to refuse.
            o.ValueCountLimit = 64;
            o.KeyLengthLimit = 256;
            o.ValueLengthLimit = 16 * 1024;
            o.MultipartBodyLengthLimit = 64 * 1024;
        });
        // Admin API JSON: snake_case like RFC 7591, enums as words, and an unknown member is a 400, never
        // silently dropped (no mass assignment, ASVS 15.3.3). Protocol responses use their own context.
        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => ConfigureJson(o.JsonSerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // unreadable input becomes a problem details 400

        services.AddHttpContextAccessor();
        services.AddForwardedClientAddress(); // Auth:ForwardedHeaders (docs/adr/0045)
        services.AddRegistrationRateLimit();

        // Rate limits (docs/adr/0043): the token endpoint per client, sign-in and sign-up per address.
        services.AddRateLimits();

        services.AddScoped<Application.Audit.IAuditContext, HttpAuditContext>();
        // No default scheme: with one scheme ASP.NET Core would make it the default and run it (and build its
        // dependencies) on every request, the token endpoint's included. Only the admin policy names it.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, AdminAuthenticationHandler>(AdminAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminAuthenticationHandler.Policy, policy => policy
                .AddAuthenticationSchemes(AdminAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(AdminAuthenticationHandler.ScopeClaim, AdminAuthenticationHandler.Scope))
            .AddPolicy(TenantAdminAuthorization.Policy, policy => policy
                .AddAuthenticationSchemes(AdminAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new TenantAdminAuthorization.Requirement()));
        services.AddScoped<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, TenantAdminAuthorization.Handler>();

        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "AuthService",
                Version = "v1",
                Description = "OAuth 2.1 authorization server. Protocol endpoints follow their RFCs; discovery lists what is implemented. "
                    + "The admin API under /admin needs an access token with the `admin` scope: use Authorize (client credentials) with an admin client.",
            });
            o.AddAdminSecurity();
        });
        return services;
    }

    private static void ConfigureJson(System.Text.Json.JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
        json.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        json.Converters.Add(new UtcTimestampConverter());
        json.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }

    /// <summary>The path component of <c>Auth:Issuer</c> without its terminating "/" (RFC 8414 §3.1); empty when it has none.</summary>
    public static PathString IssuerPath(AuthServerOptions options) =>
        string.IsNullOrWhiteSpace(options.Issuer) ? PathString.Empty : PathString.FromUriComponent(new Uri(options.Issuer).AbsolutePath.TrimEnd('/'));

    public static WebApplication UseAuthServer(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthServerOptions>>().Value;

        // An issuer with a path (https://host/auth) serves its endpoints under that path. UsePathBase moves a
        // leading issuer path to PathBase and leaves other requests as they are, so the endpoints answer both
        // behind a proxy that keeps the prefix and behind one that strips it.
        if (IssuerPath(options) is { HasValue: true } pathBase)
        {
            app.UsePathBase(pathBase);
        }

        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseBrowserCors();
        app.UseRouting();
        app.UseRateLimiter(); // only the registration, sign-in and sign-up endpoints name a policy (the token endpoint's limit is after client authentication)
        app.UseAuthorization(); // only the admin routes carry a policy; no scheme runs for any other request
        if (options.SwaggerEnabled)
        {
            app.UseSwagger();
            app.UseSwaggerUI(o =>
            {
                o.DocumentTitle = "AuthService API";
                o.SwaggerEndpoint("v1/swagger.json", "AuthService v1"); // relative: works under an issuer path base
                o.OAuthScopes(AdminAuthenticationHandler.Scope);
            });
        }

        return app;
    }
}

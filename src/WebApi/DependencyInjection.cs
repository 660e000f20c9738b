using AuthService.Infrastructure;
using AuthService.WebApi.Middleware;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.OpenApi;

namespace AuthService.WebApi;

public static class DependencyInjection
{
    public static IServiceCollection AddWebApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddSingleton<Interaction.BrowserCookies>();
        services.AddExceptionHandler<ExceptionMapping>();
        services.Configure<FormOptions>(o =>
        {
            // Protocol forms are small; these caps keep a hostile body cheap to refuse (NET-008).
            o.ValueCountLimit = 64;
            o.KeyLengthLimit = 256;
            o.ValueLengthLimit = 16 * 1024;
            o.MultipartBodyLengthLimit = 64 * 1024;
        });
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o => o.SwaggerDoc("v1", new OpenApiInfo
        {
            Title = "AuthService",
            Version = "v1",
            Description = "OAuth 2.1 authorization server. Protocol endpoints follow their RFCs; discovery lists what is implemented.",
        }));
        return services;
    }

    public static WebApplication UseAuthServer(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthServerOptions>>().Value;

        // An issuer with a path (https://host/auth) serves its endpoints under that path.
        if (options.Issuer is { } issuer && new Uri(issuer).AbsolutePath.TrimEnd('/') is { Length: > 0 } pathBase)
        {
            app.UsePathBase(pathBase);
        }

        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseBrowserCors();
        if (options.SwaggerEnabled)
        {
            app.UseSwagger();
            app.UseSwaggerUI(o =>
            {
                o.DocumentTitle = "AuthService API";
                o.SwaggerEndpoint("v1/swagger.json", "AuthService v1"); // relative: works under an issuer path base
            });
        }

        return app;
    }
}

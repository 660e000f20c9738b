using AuthService.Application.Common.Interfaces;

namespace AuthService.WebApi.RateLimiting;

/// <summary>The request-rate limits of docs/adr/0043: the token endpoint's per client, the browser forms' per address.</summary>
public static class RateLimitRegistration
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .Validate(o => o.Problem() is null, "Auth:RateLimits is invalid: every limit must be a positive number (docs/adr/0043).")
            .ValidateOnStart();
        services.AddSingleton<TokenRateLimiter>();
        services.AddSingleton<ITokenRateLimiter>(sp => sp.GetRequiredService<TokenRateLimiter>());
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy<string, SignInRateLimitPolicy>(SignInRateLimitPolicy.Name);
            limiter.AddPolicy<string, SignUpRateLimitPolicy>(SignUpRateLimitPolicy.Name);
        });
        return services;
    }

    /// <summary>Limits a sign-in form post per source address.</summary>
    public static RouteHandlerBuilder RequireSignInRateLimit(this RouteHandlerBuilder endpoint) => endpoint.RequireRateLimiting(SignInRateLimitPolicy.Name);

    /// <summary>Limits an account-creation form post per source address.</summary>
    public static RouteHandlerBuilder RequireSignUpRateLimit(this RouteHandlerBuilder endpoint) => endpoint.RequireRateLimiting(SignUpRateLimitPolicy.Name);
}

namespace AuthService.WebApi.Middleware;

/// <summary>
/// Headers every response carries (ASVS 3.4, RFC 9700 §4.16). Set when the response starts, so they
/// survive the exception handler clearing the response. TRACE and TRACK are refused (ASVS 13.4.4).
/// </summary>
public static class SecurityHeaders
{
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    // Swagger UI and Hangfire's dashboard load their own scripts and inline styles from this origin only.
    private const string UiPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (HttpMethods.IsTrace(context.Request.Method) || context.Request.Method.Equals("TRACK", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        // Chosen now: the dashboard moves its prefix from Path to PathBase before the response starts.
        var dashboard = context.Request.Path.StartsWithSegments(Endpoints.Admin.JobEndpoints.DashboardPath);
        var policy = dashboard || context.Request.Path.StartsWithSegments("/swagger") ? UiPolicy : ApiPolicy;
        context.Response.OnStarting(static state =>
        {
            var (http, policy, dashboard) = ((HttpContext, string, bool))state;
            var headers = http.Response.Headers;
            if (dashboard)
            {
                // Pages rendered for an admin token are kept by no cache (ASVS 14.3.2), whatever Hangfire sets.
                headers.CacheControl = "no-store";
            }

            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (!headers.ContainsKey("Content-Security-Policy"))
            {
                // The browser pages set their own (a nonce per response, form-action to the client); everything else gets the API policy.
                headers.ContentSecurityPolicy = policy;
            }
            if (http.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            return Task.CompletedTask;
        }, (context, policy, dashboard));
        return next(context);
    });
}

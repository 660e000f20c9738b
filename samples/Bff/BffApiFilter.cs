namespace Bff;

/// <summary>
/// The rules of the BFF's JSON endpoints: a session is required (401, never a redirect to the sign-in page, which a fetch
/// cannot follow), and so is the header <c>X-CSRF: 1</c>. A browser sends a custom header only from same-origin script, or
/// after a CORS preflight this BFF never allows, so another site cannot make the browser call these with its cookie.
/// </summary>
public sealed class BffApiFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.Headers["X-CSRF"] != "1")
        {
            return TypedResults.BadRequest(new { error = "The X-CSRF: 1 header is required." });
        }

        if (http.User.Identity?.IsAuthenticated != true)
        {
            return TypedResults.Unauthorized();
        }

        return await next(context);
    }
}

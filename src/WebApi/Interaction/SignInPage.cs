using AuthService.Application.Federation.Queries.ListSignInProviders;
using MediatR;

namespace AuthService.WebApi.Interaction;

/// <summary>
/// A sign-in page drawn once the enabled providers are known (its buttons, and their origins in the CSP), so the renderers of
/// the sign-in pages stay synchronous, as <see cref="SecondStepPage"/> does for the second factors.
/// </summary>
public sealed class SignInPage(Func<IReadOnlyList<SignInProvider>, IResult> page) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var providers = await httpContext.RequestServices.GetRequiredService<IMediator>().Send(new ListSignInProviders(), httpContext.RequestAborted);
        await page(providers).ExecuteAsync(httpContext);
    }
}

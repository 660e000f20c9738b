using AuthService.Application.SignIn;
using AuthService.Application.SignIn.Queries.ViewSecondFactorOffer;
using MediatR;

namespace AuthService.WebApi.Interaction;

/// <summary>
/// The second step's page, drawn once it is known which second factors the pending sign-in's person has (a code form, a
/// passkey link, or both): the renderers of the three sign-in forms stay synchronous and every outcome that shows the
/// second step (password, sign-in link, step-up, a wrong answer) gets the same page without carrying the offer.
/// </summary>
public sealed class SecondStepPage(string pendingHandle, Func<SecondFactorOffer, IResult> page) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var offer = await httpContext.RequestServices.GetRequiredService<IMediator>()
            .Send(new ViewSecondFactorOffer(pendingHandle), httpContext.RequestAborted);
        await page(offer).ExecuteAsync(httpContext);
    }
}

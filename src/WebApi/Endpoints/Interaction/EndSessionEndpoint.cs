using AuthService.Application.Common.Protocol;
using AuthService.Application.SignIn.Commands.EndSession;
using AuthService.WebApi.Interaction;
using AuthService.WebApi.Protocol;
using MediatR;

namespace AuthService.WebApi.Endpoints.Interaction;

/// <summary>
/// The end-session endpoint (OpenID Connect RP-Initiated Logout 1.0): GET or POST with id_token_hint,
/// client_id, post_logout_redirect_uri and state. Without a hint that names the current session, the
/// user confirms on a page first (an anti-forgery protected POST back here).
/// </summary>
public static class EndSessionEndpoint
{
    public static IEndpointRouteBuilder MapEndSessionEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(ProtocolEndpoints.EndSession, [HttpMethods.Get, HttpMethods.Post], HandleAsync)
            .ExcludeFromDescription()
            .DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        ProtocolResult<Dictionary<string, string>> parameters;
        var confirmed = false;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            var form = await ProtocolForm.ReadAsync(http.Request, cancellationToken);
            if (!form.IsSuccess)
            {
                return Pages.Error(form.Error);
            }

            // Our own confirmation page carries the request, guarded like every page form; a client's POST is the request itself.
            confirmed = form.Value["confirm"] == "yes";
            parameters = confirmed ? PageForm.CarriedRequest(http, cookies, form.Value) : form.Value.Values.ToDictionary(StringComparer.Ordinal);
        }
        else
        {
            parameters = ProtocolForm.Collect(http.Request.Query);
        }

        if (!parameters.IsSuccess)
        {
            return Pages.Error(parameters.Error);
        }

        var outcome = await mediator.Send(new EndSession(parameters.Value, cookies.SessionHandle(http.Request), confirmed), cancellationToken);
        switch (outcome)
        {
            case EndSessionOutcome.ErrorPage page:
                return Pages.Error(page.Error);
            case EndSessionOutcome.Confirm confirm:
                return Pages.ConfirmSignOut(confirm.Parameters, cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, ProtocolEndpoints.EndSession));
            case EndSessionOutcome.SignedOut signedOut:
                cookies.ClearSession(http.Response);
                var parametersBack = signedOut.State is null ? [] : new List<KeyValuePair<string, string>> { new(OAuthParameters.State, signedOut.State) };
                var continueUrl = signedOut.RedirectUri is null ? null : InteractionForms.ResponseUrl(signedOut.RedirectUri, parametersBack);
                if (signedOut.FrontchannelLogoutUrls.Count > 0)
                {
                    // OpenID Connect Front-Channel Logout 1.0 §2: the clients' logout pages are framed before going on.
                    return Pages.FrontchannelSignedOut(signedOut.FrontchannelLogoutUrls, continueUrl);
                }

                return continueUrl is null
                    ? Pages.Message("Signed out", "You have been signed out.")
                    : AuthorizationEndpoints.SeeOther(http, continueUrl);
            default:
                throw new InvalidOperationException($"Unhandled outcome {outcome.GetType().Name}.");
        }
    }
}

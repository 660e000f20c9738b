using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;

namespace Bff;

/// <summary>
/// Calls the API on the user's behalf with the session's access token (RFC 6750 §2.1) and hands the API's answer to the
/// browser: status and JSON body, never the token.
/// </summary>
public sealed class ApiProxy(HttpClient http)
{
    public async Task<IResult> ForwardAsync(HttpContext context, string path)
    {
        // Read after the session was validated: a renewed token is already in the ticket.
        var accessToken = await context.GetTokenAsync("access_token");
        if (accessToken is null)
        {
            return TypedResults.Unauthorized();
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, context.RequestAborted);
        var body = await response.Content.ReadAsStringAsync(context.RequestAborted);
        return Results.Content(body, response.Content.Headers.ContentType?.ToString() ?? "application/json", statusCode: (int)response.StatusCode);
    }
}

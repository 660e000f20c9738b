using System.Text;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Resources;
using AuthService.WebApi.Protocol;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthService.WebApi.Interaction;

/// <summary>
/// Reading the browser's requests: the authorization request's parameters from the query (GET) or the
/// form (POST), each at most once (ASVS 15.3.7), empty values treated as absent; and the pages'
/// own forms, which carry the authorization request in one hidden field, re-validated on every post.
/// </summary>
public static class InteractionForms
{
    public const int MaxQueryLength = 16 * 1024;

    /// <summary>The carried parameters as a query string; several <c>resource</c> values (carried space-joined) repeat the parameter again (RFC 8707 §2).</summary>
    public static string Encode(IReadOnlyDictionary<string, string> parameters)
    {
        var builder = new StringBuilder();
        foreach (var (name, joined) in parameters)
        {
            foreach (var value in name == OAuthParameters.Resource ? joined.Split(ResourceIndicators.Separator) : [joined])
            {
                if (builder.Length > 0)
                {
                    builder.Append('&');
                }

                builder.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return builder.ToString();
    }

    /// <summary>The parameters of a query string or of the hidden <c>request</c> field; an error when one repeats.</summary>
    public static ProtocolResult<Dictionary<string, string>> Decode(string? query)
    {
        if (query is { Length: > MaxQueryLength })
        {
            return OAuthError.RequestTooLarge;
        }

        return ProtocolForm.Collect(QueryHelpers.ParseQuery(query));
    }

    /// <summary>The authorization endpoint's parameters: the query for GET, the form body for POST (OAuth 2.1 §4.1.1).</summary>
    public static async Task<ProtocolResult<Dictionary<string, string>>> ReadAuthorizationRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (HttpMethods.IsGet(request.Method))
        {
            return request.QueryString.Value is { Length: > MaxQueryLength }
                ? OAuthError.RequestTooLarge
                : ProtocolForm.Collect(request.Query);
        }

        var form = await ProtocolForm.ReadAsync(request, cancellationToken);
        return form.IsSuccess ? form.Value.Values.ToDictionary(StringComparer.Ordinal) : form.Error;
    }

    /// <summary>Where the browser goes after a page: back to the authorization endpoint with the request (303, RFC 9700 §4.12).</summary>
    public static string AuthorizationUrl(string issuer, IReadOnlyDictionary<string, string> parameters) =>
        issuer + ProtocolEndpoints.Authorization + "?" + Encode(parameters);

    /// <summary>The authorization response in query mode: the redirect URI's own query is kept, the parameters appended.</summary>
    public static string ResponseUrl(string redirectUri, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var builder = new StringBuilder(redirectUri);
        var separator = redirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (name, value) in parameters)
        {
            builder.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return builder.ToString();
    }
}

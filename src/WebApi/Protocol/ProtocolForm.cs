using AuthService.Application.Common.Protocol;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace AuthService.WebApi.Protocol;

/// <summary>
/// The parameters of a back-channel protocol request: an <c>application/x-www-form-urlencoded</c> POST
/// body (RFC 6749 §3.2), each parameter at most once (§3.1), empty values treated as absent
/// (OAuth 2.1 §1.5), within a small size budget.
/// </summary>
public sealed class ProtocolForm
{
    public const long MaxBodyBytes = 64 * 1024;

    private readonly Dictionary<string, string> _values;

    private ProtocolForm(Dictionary<string, string> values) => _values = values;

    public string? this[string name] => _values.GetValueOrDefault(name);

    public bool Contains(string name) => _values.ContainsKey(name);

    public IReadOnlyDictionary<string, string> Values => _values;

    public static async Task<(ProtocolForm? Form, OAuthError? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return (null, OAuthError.InvalidRequest("The request must use POST."));
        }

        if (!request.HasFormContentType
            || !request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, OAuthError.InvalidRequest("The request body must be application/x-www-form-urlencoded."));
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, OAuthError.InvalidRequest("The request body is too large."));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or InvalidDataException or IOException)
        {
            return (null, OAuthError.InvalidRequest("The request body could not be read as a form within the size limits."));
        }

        var (values, error) = Collect(form);
        return values is null ? (null, error) : (new ProtocolForm(values), null);
    }

    /// <summary>Each parameter at most once (else <c>invalid_request</c>), empty values left out: for forms and query strings alike.</summary>
    public static (Dictionary<string, string>? Values, OAuthError? Error) Collect(IEnumerable<KeyValuePair<string, StringValues>> pairs)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
        {
            if (value.Count > 1)
            {
                return (null, OAuthError.InvalidRequest("A parameter is included more than once."));
            }

            if (!StringValues.IsNullOrEmpty(value))
            {
                values[name] = value.ToString();
            }
        }

        return (values, null);
    }
}

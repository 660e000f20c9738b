using AuthService.Application.Common.Protocol;
using AuthService.Application.Resources;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace AuthService.WebApi.Protocol;

/// <summary>
/// The parameters of a back-channel protocol request: an <c>application/x-www-form-urlencoded</c> POST
/// body (RFC 6749 §3.2), each parameter at most once (§3.1), empty values treated as absent
/// (OAuth 2.1 §1.5), within a small size budget (ASP.NET Core's default of about 30 MB per body is far more than a protocol form needs).
/// </summary>
public sealed class ProtocolForm
{
    public const long MaxBodyBytes = 64 * 1024;

    private readonly Dictionary<string, string> _values;

    private ProtocolForm(Dictionary<string, string> values) => _values = values;

    public string? this[string name] => _values.GetValueOrDefault(name);

    public bool Contains(string name) => _values.ContainsKey(name);

    public IReadOnlyDictionary<string, string> Values => _values;

    public static async Task<ProtocolResult<ProtocolForm>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return OAuthError.RequestMustBePost;
        }

        if (!request.HasFormContentType
            || !request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return OAuthError.RequestMustBeFormEncoded;
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return OAuthError.RequestBodyTooLarge;
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
            return OAuthError.RequestBodyUnreadable;
        }

        var values = Collect(form);
        return values.IsSuccess ? new ProtocolForm(values.Value) : values.Error;
    }

    /// <summary>
    /// Each parameter at most once (else <c>invalid_request</c>), empty values left out: for forms and query strings alike.
    /// The exceptions are <c>resource</c>, which RFC 8707 §2 lets repeat, and <c>audience</c>, which RFC 8693 §2.1 lets repeat:
    /// their values are carried space-joined.
    /// </summary>
    public static ProtocolResult<Dictionary<string, string>> Collect(IEnumerable<KeyValuePair<string, StringValues>> pairs)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
        {
            if (name is OAuthParameters.Resource or OAuthParameters.Audience)
            {
                var resources = value.Where(v => !string.IsNullOrEmpty(v)).ToList();
                if (resources.Count > 0)
                {
                    values[name] = ResourceIndicators.Join(resources!);
                }

                continue;
            }

            if (value.Count > 1)
            {
                return OAuthError.RepeatedParameter;
            }

            if (!StringValues.IsNullOrEmpty(value))
            {
                values[name] = value.ToString();
            }
        }

        return values;
    }
}

using AuthService.Application.Common.Exceptions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthService.WebApi.Admin;

/// <summary>HTTP conventions of the admin API: entity tags and conditional writes (RFC 9110 §8.8.3, §13.1.1).</summary>
public static class AdminHttp
{
    /// <summary>The strong entity tag of an aggregate version.</summary>
    public static string ETag(int version) => $"\"{version}\"";

    /// <summary>200 with the body and its version as <c>ETag</c>.</summary>
    public static Ok<T> Ok<T>(HttpContext http, T body, int version)
    {
        http.Response.Headers.ETag = ETag(version);
        return TypedResults.Ok(body);
    }

    /// <summary>201 with the body, its location and its version as <c>ETag</c>.</summary>
    public static Created<T> Created<T>(HttpContext http, string location, T body, int version)
    {
        http.Response.Headers.ETag = ETag(version);
        return TypedResults.Created(location, body);
    }

    /// <summary>An id in a route that is not a GUID names no resource: 404, as an unknown one does.</summary>
    public static Guid RouteId(string resource, string id) =>
        Guid.TryParse(id, out var value) ? value : throw new NotFoundException(resource, id.Length > 64 ? id[..64] : id);

    /// <summary>
    /// The version an <c>If-Match</c> header asks for: null when absent or <c>*</c> (no condition); a value
    /// that names no version (a weak tag, garbage, several tags that all differ) never matches, so the write
    /// gets 412 (strong comparison, RFC 9110 §13.1.1).
    /// </summary>
    public static int? ExpectedVersion(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return null;
        }

        foreach (var tag in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (tag.Length > 2 && tag[0] == '"' && tag[^1] == '"' && int.TryParse(tag.AsSpan(1, tag.Length - 2), System.Globalization.NumberStyles.None, null, out var version))
            {
                return version;
            }
        }

        return -1;
    }
}

using System.Text;

namespace AuthService.ResourceServer.Dpop;

/// <summary>
/// The comparison form of an <c>htu</c> (RFC 9449 §4.3 point 9): the URI without query and fragment, normalized as
/// RFC 3986 §6.2.2 and §6.2.3 say (scheme and host in lower case, the default port dropped, an empty path as
/// <c>/</c>, dot-segments removed, percent-encodings in upper case and decoded where they encode an unreserved
/// character), so that equivalent spellings of the same URL compare equal and nothing else does.
/// </summary>
internal static class HttpUri
{
    /// <summary>The normalized form, or null when <paramref name="value"/> is not an absolute http(s) URI.</summary>
    public static string? Normalize(string? value)
    {
        if (value is null || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return null;
        }

        // Uri lower-cases scheme and host, drops the default port and removes dot-segments; the path's
        // percent-encodings are normalized here, as Uri keeps them as written.
        var origin = uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped).ToLowerInvariant();
        var path = uri.AbsolutePath.Length == 0 ? "/" : NormalizePercentEncoding(uri.AbsolutePath);
        return origin + path;
    }

    private static string NormalizePercentEncoding(string path)
    {
        var result = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '%' && i + 2 < path.Length && Uri.IsHexDigit(path[i + 1]) && Uri.IsHexDigit(path[i + 2]))
            {
                var value = (char)Convert.ToInt32(path.Substring(i + 1, 2), 16);
                if (char.IsAsciiLetterOrDigit(value) || value is '-' or '.' or '_' or '~')
                {
                    result.Append(value);
                }
                else
                {
                    result.Append('%').Append(char.ToUpperInvariant(path[i + 1])).Append(char.ToUpperInvariant(path[i + 2]));
                }

                i += 2;
            }
            else
            {
                result.Append(path[i]);
            }
        }

        return result.ToString();
    }
}

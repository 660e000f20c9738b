using System.Net;
using System.Net.Http.Headers;
using AuthService.Infrastructure.Security.Outbound;

namespace AuthService.Infrastructure.Federation;

/// <summary>
/// The one way the server talks to an upstream identity provider (docs/adr/0037 "Protocols"): a named client of
/// <see cref="IHttpClientFactory"/> that never follows a redirect (a 3xx is an answer like any other non-2xx, so a token
/// or key request never lands on a host nobody configured), sends no cookies, has a short timeout and reads at most
/// <see cref="MaxResponseBytes"/>. Unlike the <see cref="HardenedFetcher"/> for client-supplied URLs, the upstream's URLs
/// are set by an administrator, so private and loopback addresses are allowed (an in-house provider, the tests).
/// A transport failure is reported, never thrown; the caller's own cancellation is thrown.
/// </summary>
internal sealed class UpstreamHttp(IHttpClientFactory factory)
{
    public const string ClientName = "federation-upstream";

    /// <summary>Discovery documents, key sets, token and user-info answers are a few kilobytes; this is a bound, not an expectation.</summary>
    public const int MaxResponseBytes = 256 * 1024;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>GitHub's API refuses requests without one; any upstream may log it.</summary>
    public const string UserAgent = "AuthService-Federation/1.0";

    /// <summary>The handler of the named client: no redirects, no cookies, no proxy surprises in decompression.</summary>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxResponseHeadersLength = 64,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };

    public Task<UpstreamResponse> GetAsync(Uri uri, string accept, string? bearerToken, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd(accept);
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return SendAsync(request, cancellationToken);
    }

    /// <summary>POSTs <paramref name="form"/> (<c>application/x-www-form-urlencoded</c>) with an optional HTTP Basic client authentication.</summary>
    public Task<UpstreamResponse> PostFormAsync(Uri uri, IEnumerable<KeyValuePair<string, string>> form, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Authorization = authorization;
        return SendAsync(request, cancellationToken);
    }

    private async Task<UpstreamResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            request.Headers.UserAgent.ParseAdd(UserAgent);
            var http = factory.CreateClient(ClientName);
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.Content.Headers.ContentLength > MaxResponseBytes)
                {
                    return UpstreamResponse.Failed($"the answer is larger than {MaxResponseBytes} bytes");
                }

                var body = await HardenedFetcher.ReadLimitedAsync(response.Content, MaxResponseBytes, cancellationToken);
                return body is null
                    ? UpstreamResponse.Failed($"the answer is larger than {MaxResponseBytes} bytes")
                    : new UpstreamResponse((int)response.StatusCode, body, null);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or System.Text.DecoderFallbackException
                                       && !cancellationToken.IsCancellationRequested)
            {
                // The message names the transport failure only: no URL query, no header, no body.
                return UpstreamResponse.Failed(ex is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : $"{ex.GetType().Name}");
            }
        }
    }
}

/// <summary>An upstream's answer: its status and body, or (<see cref="Failure"/> set) why there was none.</summary>
internal sealed record UpstreamResponse(int Status, string? Body, string? Failure)
{
    public bool IsSuccess => Failure is null && Status is >= 200 and < 300;

    public static UpstreamResponse Failed(string reason) => new(0, null, reason);

    /// <summary>Never prints the body (it may hold tokens).</summary>
    public override string ToString() => $"UpstreamResponse {{ Status = {Status}, Failure = {Failure} }}";
}

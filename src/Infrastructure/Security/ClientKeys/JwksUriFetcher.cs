using System.Net;
using System.Net.Sockets;
using AuthService.Domain.Clients;
using Microsoft.Extensions.Logging;

namespace AuthService.Infrastructure.Security.ClientKeys;

/// <summary>
/// Fetches a client's JWK Set from its <c>jwks_uri</c> (RFC 7591 §2), hardened against server-side request forgery:
/// https only (http only to loopback, and loopback only when allowed), no proxy, no redirects, the resolved address
/// checked when the socket connects (so a DNS answer that changes between a check and the connection cannot reach
/// an internal address), a size limit, a timeout, and the body accepted only as a JWK Set of public keys.
/// </summary>
public sealed partial class JwksUriFetcher : IDisposable
{
    /// <summary>A JWK Set larger than this is refused unread (the registered <c>jwks</c> limit is smaller still).</summary>
    public const int MaxResponseBytes = 64 * 1024;

    private readonly HttpClient _http;
    private readonly bool _allowLoopback;
    private readonly ILogger<JwksUriFetcher> _logger;

    public JwksUriFetcher(bool allowLoopback, TimeSpan timeout, ILogger<JwksUriFetcher> logger)
    {
        _allowLoopback = allowLoopback;
        _logger = logger;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = timeout,
            MaxResponseHeadersLength = 16,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler) { Timeout = timeout, MaxResponseContentBufferSize = MaxResponseBytes };
    }

    /// <summary>The JWK Set's JSON text, or null when it cannot be fetched or is not an acceptable key set (logged, without the body).</summary>
    public async Task<string?> FetchAsync(string clientId, string jwksUri, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(jwksUri, UriKind.Absolute, out var uri) || !IsAllowedScheme(uri))
        {
            LogRefused(_logger, clientId, "the jwks_uri is not https (or http to an allowed loopback address)");
            return null;
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.ParseAdd("application/jwk-set+json, application/json");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                LogRefused(_logger, clientId, $"the jwks_uri answered {(int)response.StatusCode}");
                return null;
            }

            if (response.Content.Headers.ContentLength > MaxResponseBytes)
            {
                LogRefused(_logger, clientId, "the JWK Set is too large");
                return null;
            }

            var body = await ReadLimitedAsync(response.Content, cancellationToken);
            if (body is null)
            {
                LogRefused(_logger, clientId, "the JWK Set is too large");
                return null;
            }

            if (ClientKeySetRules.ValidateJwks(body) is { } error)
            {
                LogRefused(_logger, clientId, $"the JWK Set {error}");
                return null;
            }

            return body;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or System.Text.DecoderFallbackException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            LogRefused(_logger, clientId, $"the fetch failed ({ex.GetType().Name}: {ex.Message})");
            return null;
        }
    }

    public void Dispose() => _http.Dispose();

    private bool IsAllowedScheme(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && _allowLoopback && uri.IsLoopback);

    private static async Task<string?> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return total > MaxResponseBytes ? null : new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, total);
    }

    /// <summary>
    /// Resolves the host and connects only when every address it resolves to is permitted: the check is made on the
    /// addresses actually connected to, so DNS rebinding cannot slip an internal address in after a check.
    /// A plain-http URL may reach loopback only.
    /// </summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var plainHttp = context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttp;
        if (addresses.Length == 0
            || addresses.Any(a => !OutboundAddressRules.IsPermitted(a, _allowLoopback))
            || (plainHttp && addresses.Any(a => !IPAddress.IsLoopback(a))))
        {
            throw new HttpRequestException("The jwks_uri resolves to an address the server does not connect to.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning,
        Message = "Security event client_jwks_uri_refused: the keys of client {ClientId} could not be used: {Reason}")]
    private static partial void LogRefused(ILogger logger, string clientId, string reason);
}

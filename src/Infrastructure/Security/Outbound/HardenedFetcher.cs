using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuthService.Infrastructure.Security.Outbound;

/// <summary>
/// The one way the server fetches a URL a client supplied (a <c>jwks_uri</c>, a client ID metadata document),
/// hardened against server-side request forgery (CWE-918): https only (http only to loopback, and loopback only
/// when allowed), no proxy, no redirects (a 3xx is a failure), no cookies, no decompression, the resolved address
/// checked when the socket connects (so a DNS answer that changes between a check and the connection cannot reach
/// an internal address), and a size limit and a timeout per call. Server certificates are validated against the
/// system store and, in addition, the trust anchors of <c>Auth:OutboundFetch:TrustedCertificatesFile</c>.
/// </summary>
public sealed class HardenedFetcher : IDisposable
{
    internal const string RefusedAddressMessage = "The URL resolves to an address the server does not connect to.";

    private readonly HttpClient _http;
    private readonly bool _allowLoopback;
    private readonly X509Certificate2Collection _trustAnchors;

    public HardenedFetcher(bool allowLoopback, X509Certificate2Collection trustAnchors)
    {
        _allowLoopback = allowLoopback;
        _trustAnchors = trustAnchors;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxResponseHeadersLength = 16,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectAsync,
        };
        if (trustAnchors.Count > 0)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = ValidateServerCertificate;
        }

        // Each call brings its own timeout (a linked token); the client's own is off.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Reads the PEM bundle of extra trust anchors (none when <paramref name="path"/> is empty); a bad file fails start-up.</summary>
    public static X509Certificate2Collection LoadTrustAnchors(string? path)
    {
        var anchors = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(path))
        {
            anchors.ImportFromPemFile(path);
            if (anchors.Count == 0)
            {
                throw new InvalidOperationException($"Auth:OutboundFetch:TrustedCertificatesFile '{path}' holds no PEM certificate.");
            }
        }

        return anchors;
    }

    /// <summary>True when <paramref name="path"/> is empty or a readable PEM file holding at least one certificate (checked at start).</summary>
    public static bool IsUsableTrustAnchorsFile(string? path)
    {
        try
        {
            return string.IsNullOrWhiteSpace(path) || LoadTrustAnchors(path).Count > 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="uri"/> is a URL this fetcher would try at all (scheme and loopback rule).</summary>
    public bool IsAllowedScheme(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && _allowLoopback && uri.IsLoopback);

    /// <summary>
    /// GETs <paramref name="uri"/>. A failure (scheme, address, status other than 200, size, time, encoding) is
    /// reported, never thrown; the caller's own cancellation is thrown.
    /// </summary>
    public async Task<OutboundResponse> GetAsync(Uri uri, string accept, int maxBytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!uri.IsAbsoluteUri || !IsAllowedScheme(uri))
        {
            return OutboundResponse.Failed("the URL is not https (or http to an allowed loopback address)");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.ParseAdd(accept);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // A redirect is not followed: its target was never checked against the rules above.
                return OutboundResponse.Failed($"the URL answered {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > maxBytes)
            {
                return OutboundResponse.Failed($"the response is larger than {maxBytes} bytes");
            }

            var body = await ReadLimitedAsync(response.Content, maxBytes, deadline.Token);
            return body is null
                ? OutboundResponse.Failed($"the response is larger than {maxBytes} bytes")
                : new OutboundResponse(body, null, FreshnessLifetime(response));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or System.Text.DecoderFallbackException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return OutboundResponse.Failed(ex is OperationCanceledException
                ? $"the fetch took longer than {timeout.TotalSeconds:0.#} s"
                : $"the fetch failed ({ex.GetType().Name}: {ex.Message})");
        }
    }

    /// <summary>
    /// POSTs <paramref name="form"/> as <c>application/x-www-form-urlencoded</c> to <paramref name="uri"/> under the
    /// same rules as <see cref="GetAsync"/> (no redirect followed: a 3xx is a failure). Null when the receiver
    /// answered 200 or 204; otherwise why not (its status, or the transport failure). The body is never read.
    /// </summary>
    public async Task<string?> PostFormAsync(Uri uri, IReadOnlyDictionary<string, string> form, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(form);
        var result = await PostAsync(uri, content, headers: null, timeout, excerptBytes: 0, cancellationToken);
        return result switch
        {
            { StatusCode: 200 or 204 } => null,
            { StatusCode: { } status } => $"the URL answered {status}",
            _ => result.FailureText,
        };
    }

    /// <summary>
    /// POSTs <paramref name="content"/> with <paramref name="headers"/> under the rules of <see cref="GetAsync"/> (a 3xx is
    /// answered as such, never followed). The result is the status, or the class and text of the transport failure; of the
    /// body at most <paramref name="excerptBytes"/> are read (the size cap), reduced to printable ASCII. The caller's own
    /// cancellation is thrown.
    /// </summary>
    public async Task<OutboundPostResult> PostAsync(
        Uri uri, HttpContent content, IReadOnlyDictionary<string, string>? headers, TimeSpan timeout, int excerptBytes, CancellationToken cancellationToken)
    {
        if (!uri.IsAbsoluteUri || !IsAllowedScheme(uri))
        {
            return new OutboundPostResult(null, OutboundPostResult.RefusedUrl, "the URL is not https (or http to an allowed loopback address)", null);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var excerpt = excerptBytes > 0 ? await ReadExcerptAsync(response.Content, excerptBytes, deadline.Token) : null;
            return new OutboundPostResult((int)response.StatusCode, null, null, excerpt);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return ex switch
            {
                OperationCanceledException => new OutboundPostResult(null, OutboundPostResult.Timeout, $"the request took longer than {timeout.TotalSeconds:0.#} s", null),
                _ when IsRefusedAddress(ex) => new OutboundPostResult(null, OutboundPostResult.RefusedAddress, RefusedAddressMessage, null),
                _ => new OutboundPostResult(null, OutboundPostResult.Connection, $"the request failed ({ex.GetType().Name}: {ex.Message})", null),
            };
        }
    }

    /// <summary>Whether the operator allows loopback addresses (and plain http to them).</summary>
    public bool AllowsLoopback => _allowLoopback;

    private static bool IsRefusedAddress(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is RefusedAddressException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>At most <paramref name="maxBytes"/> of the body, every byte outside printable ASCII as '?'; a body that fails to arrive is no excerpt.</summary>
    private static async Task<string?> ReadExcerptAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[maxBytes];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
            {
                total += read;
            }

            return total == 0 ? null : new string([.. buffer.Take(total).Select(b => b is >= 0x20 and < 0x7f ? (char)b : '?')]);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// RFC 9111 §4.2.1: <c>no-store</c> or <c>no-cache</c> is zero, then <c>max-age</c>, then <c>Expires</c> minus
    /// <c>Date</c> (an invalid <c>Expires</c> is already expired, §5.3); null when the response says nothing.
    /// </summary>
    private static TimeSpan? FreshnessLifetime(HttpResponseMessage response)
    {
        var cacheControl = response.Headers.CacheControl;
        if (cacheControl is { NoStore: true } or { NoCache: true })
        {
            return TimeSpan.Zero;
        }

        if (cacheControl?.MaxAge is { } maxAge)
        {
            return maxAge;
        }

        if (response.Content.Headers.TryGetValues("Expires", out _))
        {
            var expires = response.Content.Headers.Expires;
            var date = response.Headers.Date ?? DateTimeOffset.UtcNow;
            return expires is { } at && at > date ? at - date : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>The body as strict UTF-8, or null when it is longer than <paramref name="maxBytes"/> (read no further). Also the federation upstream client's.</summary>
    internal static async Task<string?> ReadLimitedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[maxBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return total > maxBytes ? null : new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, total);
    }

    /// <summary>The system store said no: accept the chain only if it ends at a configured anchor, and the name matched.</summary>
    private bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trustAnchors);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainElements.Select(e => e.Certificate).ToArray());
        }

        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
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
            throw new RefusedAddressException();
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
}

/// <summary>
/// The body of a successful fetch (<see cref="Failure"/> null), or why it failed; <see cref="FreshFor"/> is what
/// the response's cache headers allow (null when they say nothing).
/// </summary>
public sealed record OutboundResponse(string? Body, string? Failure, TimeSpan? FreshFor)
{
    public static OutboundResponse Failed(string reason) => new(null, reason, null);
}

/// <summary>What the connect callback throws for a refused address: a type of its own, so a failure is classified by what it is, not by its text.</summary>
internal sealed class RefusedAddressException() : HttpRequestException(HardenedFetcher.RefusedAddressMessage);

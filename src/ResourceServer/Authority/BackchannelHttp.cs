using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AuthService.ResourceServer.Authority;

/// <summary>
/// Calls to the authority: a time limit per call, no redirects followed (the named client's handler is built
/// with <c>AllowAutoRedirect = false</c>; a 3xx is a failure), and a bound on the size of what is read, so a
/// misbehaving or hostile endpoint that streams forever cannot exhaust the API's memory.
/// </summary>
internal static class BackchannelHttp
{
    public const int MaxResponseBytes = 256 * 1024;

    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    /// <summary>Sends, and returns the answer's JSON object when the status is 200 and the body a JSON object within the bound; null otherwise.</summary>
    public static async Task<JsonDocument?> SendForJsonAsync(HttpClient client, HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentLength > MaxResponseBytes)
            {
                return null;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
            var buffer = new byte[MaxResponseBytes + 1];
            var length = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(length), deadline.Token)) > 0)
            {
                length += read;
                if (length > MaxResponseBytes)
                {
                    return null;
                }
            }

            var document = JsonDocument.Parse(buffer.AsMemory(0, length), StrictJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }
}

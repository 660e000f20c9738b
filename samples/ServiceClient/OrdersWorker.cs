using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace ServiceClient;

/// <summary>Calls the API every <see cref="WorkerOptions.Interval"/> with the cached token; a 401 drops the token and retries once with a new one.</summary>
public sealed partial class OrdersWorker(HttpClient http, ClientCredentialsTokenCache tokens, IOptions<WorkerOptions> options, ILogger<OrdersWorker> logger)
    : BackgroundService
{
    private readonly WorkerOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval);
        do
        {
            try
            {
                await CallAsync(stoppingToken);
            }
            catch (HttpRequestException ex)
            {
                LogCallFailed(_options.Api, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task CallAsync(CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(cancellationToken);
        using var response = await SendAsync(token, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // RFC 6750 §3.1 invalid_token: the token was revoked or its key retired before it expired. One new token, one retry.
            tokens.Invalidate(token);
            token = await tokens.GetAsync(cancellationToken);
            using var retry = await SendAsync(token, cancellationToken);
            LogCalled(_options.Api, (int)retry.StatusCode, token.Fingerprint, await retry.Content.ReadAsStringAsync(cancellationToken));
            return;
        }

        LogCalled(_options.Api, (int)response.StatusCode, token.Fingerprint, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private Task<HttpResponseMessage> SendAsync(CachedToken token, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _options.Api);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return http.SendAsync(request, cancellationToken);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Called {Api}: {Status} with token {Fingerprint}: {Body}")]
    private partial void LogCalled(Uri api, int status, string fingerprint, string body);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Calling {Api} failed: {Reason}")]
    private partial void LogCallFailed(Uri api, string reason);
}

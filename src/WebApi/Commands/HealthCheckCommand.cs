namespace AuthService.WebApi.Commands;

/// <summary>
/// <c>dotnet AuthService.WebApi.dll healthcheck</c>: exit 0 when /healthz answers 200 on the local port.
/// For container HEALTHCHECKs on images that have no curl.
/// </summary>
public static class HealthCheckCommand
{
    public static async Task<int> RunAsync()
    {
        var urls = Environment.GetEnvironmentVariable("ASPNETCORE_URLS")?.Split(';', StringSplitOptions.RemoveEmptyEntries);
        var port = urls is { Length: > 0 } && Uri.TryCreate(urls[0].Replace("+", "localhost", StringComparison.Ordinal).Replace("*", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            ? uri.Port
            : int.TryParse(Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS")?.Split(';')[0], out var httpPort) ? httpPort : 8080;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}

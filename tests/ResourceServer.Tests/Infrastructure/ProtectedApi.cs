using System.Net;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthService.ResourceServer.Tests.Infrastructure;

/// <summary>
/// An API as a third party writes it with the library (the README's three lines), in memory, on a fake clock,
/// fetching from <see cref="FakeAuthority"/>. Its public address is <c>https://api.example.com</c>.
/// </summary>
public sealed class ProtectedApi : IAsyncDisposable
{
    public const string Audience = "https://api.example.com/orders";
    public const string Origin = "https://api.example.com";

    private readonly WebApplication _app;

    private ProtectedApi(WebApplication app, FakeTimeProvider clock)
    {
        _app = app;
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }

    public static async Task<ProtectedApi> StartAsync(FakeAuthority authority, Action<AuthServiceTokenOptions>? configure = null, FakeTimeProvider? clock = null)
    {
        clock ??= new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddAuthentication().AddAuthServiceTokens(o =>
        {
            o.Authority = FakeAuthority.Issuer;
            o.Audience = Audience;
            o.Introspection.ClientId = FakeAuthority.ApiClientId;
            o.Introspection.ClientSecret = FakeAuthority.ApiClientSecret;
            configure?.Invoke(o);
        });
        builder.Services.AddAuthorization();
        builder.Services.AddHttpClient(AuthServiceTokenDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(authority.CreateHandler);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/orders", (ClaimsPrincipal user) => Results.Text(Describe(user).ToJsonString(), "application/json")).RequireScope("orders.read");
        app.MapPost("/orders", () => Results.Created("/orders/2", null)).RequireScope("orders.write");
        app.MapDelete("/orders/{id:int}", () => Results.NoContent()).RequireScope("orders.write").RequireActiveToken();
        if (app.Services.GetRequiredService<IOptionsMonitor<AuthServiceTokenOptions>>().Get(AuthServiceTokenDefaults.AuthenticationScheme).ProtectedResource.Resource is not null)
        {
            app.MapProtectedResourceMetadata();
        }

        await app.StartAsync();
        return new ProtectedApi(app, clock);
    }

    /// <summary>Sends a request as a client would, over a connection with <paramref name="certificate"/> from <paramref name="remote"/>.</summary>
    public async Task<ApiResponse> SendAsync(
        string method,
        string pathAndQuery,
        string? authorization = null,
        string[]? dpop = null,
        X509Certificate2? certificate = null,
        IPAddress? remote = null,
        (string Name, string Value)? header = null)
    {
        var context = await _app.GetTestServer().SendAsync(c =>
        {
            c.Request.Method = method;
            c.Request.Scheme = "https";
            c.Request.Host = new HostString("api.example.com");
            var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
            c.Request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
            c.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
            if (authorization is not null)
            {
                c.Request.Headers.Authorization = authorization;
            }

            if (dpop is not null)
            {
                c.Request.Headers["DPoP"] = dpop;
            }

            if (header is { } h)
            {
                c.Request.Headers[h.Name] = h.Value;
            }

            c.Connection.ClientCertificate = certificate;
            c.Connection.RemoteIpAddress = remote ?? IPAddress.Parse("203.0.113.9");
        });
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return new ApiResponse(context.Response.StatusCode, context.Response.Headers, body);
    }

    public Task<ApiResponse> GetOrdersAsync(string token, string scheme = "Bearer") => SendAsync("GET", "/orders", $"{scheme} {token}");

    private static JsonObject Describe(ClaimsPrincipal user) => new()
    {
        ["sub"] = user.FindFirstValue("sub"),
        ["client_id"] = user.FindFirstValue("client_id"),
        ["binding"] = user.FindFirstValue("token_binding"),
        ["scope"] = new JsonArray([.. user.FindAll("scope").Select(c => (JsonNode)c.Value)]),
        ["name"] = user.Identity?.Name,
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed record ApiResponse(int Status, IHeaderDictionary Headers, string Body)
{
    /// <summary>The <c>WWW-Authenticate</c> challenges, one per header value.</summary>
    public string[] Challenges => [.. Headers.WWWAuthenticate.Select(v => v!)];

    /// <summary>The challenge of <paramref name="scheme"/>, or null.</summary>
    public string? Challenge(string scheme) =>
        Challenges.FirstOrDefault(c => c == scheme || c.StartsWith(scheme + " ", StringComparison.Ordinal));

    public void AssertError(int status, string scheme, string error)
    {
        Assert.True(Status == status, $"Expected {status}, got {Status}; challenges: {string.Join(" | ", Challenges)}; body: {Body}");
        var challenge = Challenge(scheme);
        Assert.True(challenge is not null && challenge.Contains($"error=\"{error}\"", StringComparison.Ordinal),
            $"Expected a {scheme} challenge with error=\"{error}\", got: {string.Join(" | ", Challenges)}");
    }
}

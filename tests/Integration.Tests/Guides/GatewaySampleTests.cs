using System.Net;
using System.Net.Http.Headers;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// docs/guides/api-gateway-yarp.md: samples/Gateway (YARP with JwtBearer) as its own process, validating the server's tokens at
/// the edge (audience, a scope per route) and forwarding to a service behind it (<see cref="RecordingApi"/>, which records what
/// arrived): refused requests never reach the service, accepted ones arrive with the caller's token and with identity headers
/// that only the gateway set.
/// </summary>
[Collection(WebGuideCollection.Name)]
public sealed class GatewaySampleTests(WebGuideServer server)
{
    [Fact]
    public async Task The_gateway_refuses_bad_tokens_at_the_edge_and_forwards_good_ones_with_identity_headers_it_set_itself()
    {
        using var service = RecordingApi.Start();
        var address = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}");
        await using var gateway = await WebGuideServer.StartSampleAsync("Gateway", address,
            ["--Authority", server.Issuer, "--Audience", WebGuideServer.OrdersApi,
             "--ReverseProxy:Clusters:orders:Destinations:orders-api:Address", service.Address.ToString()],
            "/orders", HttpStatusCode.Unauthorized);
        using var client = new HttpClient { BaseAddress = address };

        // Refused at the edge, never forwarded: no token (401), a token for another API (401 invalid_token), a token without
        // the route's scope (403 insufficient_scope, RFC 6750 §3.1).
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, HttpMethod.Get, "/orders", null)).StatusCode);
        var otherAudience = await server.TokenAsync(WebGuideServer.OtherCaller, WebGuideServer.OtherCallerSecret);
        var wrongAudience = await SendAsync(client, HttpMethod.Get, "/orders", otherAudience);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience.StatusCode);
        Assert.Contains("error=\"invalid_token\"", wrongAudience.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var reader = await server.TokenAsync(WebGuideServer.Reader, WebGuideServer.ReaderSecret);
        var forbidden = await SendAsync(client, HttpMethod.Post, "/orders", reader);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"orders.write\"", forbidden.Headers.WwwAuthenticate.ToString());
        Assert.Empty(service.Requests);

        // The read route with orders.read: forwarded.
        var read = await SendAsync(client, HttpMethod.Get, "/orders/7", reader);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("{\"path\":\"/orders/7\"}", await read.Content.ReadAsStringAsync());

        // The write route with orders.write, the caller claiming to be someone else in the gateway's own headers: forwarded with
        // the caller's token unchanged and the identity the gateway verified, the forged values gone.
        var caller = await server.TokenAsync(WebGuideServer.Caller, WebGuideServer.CallerSecret);
        var write = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", caller) },
            Content = new StringContent("{}"),
        };
        write.Headers.Add("X-Authenticated-Sub", "admin");
        write.Headers.Add("X-Authenticated-Scope", "orders.read orders.write admin");
        write.Headers.Add("x-authenticated-role", "superuser");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(write)).StatusCode);

        Assert.Equal(["GET /orders/7", "POST /orders"], service.Requests.Select(r => $"{r.Method} {r.Path}"));
        var readForwarded = service.Requests[0];
        Assert.Equal(reader, readForwarded.BearerToken);
        Assert.Equal(WebGuideServer.Reader, readForwarded.Header("X-Authenticated-Sub"));
        Assert.Equal("orders.read", readForwarded.Header("X-Authenticated-Scope"));
        var writeForwarded = service.Requests[1];
        Assert.Equal(caller, writeForwarded.BearerToken);
        Assert.Equal(WebGuideServer.Caller, writeForwarded.Header("X-Authenticated-Sub"));
        Assert.Equal(WebGuideServer.Caller, writeForwarded.Header("X-Authenticated-Client-Id"));
        Assert.Equal("orders.read orders.write", writeForwarded.Header("X-Authenticated-Scope"));
        Assert.Null(writeForwarded.Header("X-Authenticated-Role"));

        Assert.DoesNotContain(caller, gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(reader, gateway.Output, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? token)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("{}");
        }

        return client.SendAsync(request);
    }
}

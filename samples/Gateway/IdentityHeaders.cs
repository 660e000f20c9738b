using System.Security.Claims;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway;

/// <summary>
/// The identity headers the gateway vouches for. A caller can send any header it likes: every request header starting with
/// <see cref="Prefix"/> is removed first, then the gateway sets them from the token it validated. Services behind the gateway
/// may trust these headers only because nothing but the gateway can reach them.
/// </summary>
public static class IdentityHeaders
{
    public const string Prefix = "X-Authenticated-";
    public const string Subject = Prefix + "Sub";
    public const string ClientId = Prefix + "Client-Id";
    public const string Scope = Prefix + "Scope";

    public static void Apply(TransformBuilderContext builder) => builder.AddRequestTransform(context =>
    {
        var headers = context.ProxyRequest.Headers;
        foreach (var name in headers.Select(h => h.Key).Where(n => n.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            headers.Remove(name);
        }

        var user = context.HttpContext.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            Add(headers, Subject, user.FindFirstValue("sub"));
            Add(headers, ClientId, user.FindFirstValue("client_id"));
            Add(headers, Scope, user.FindFirstValue("scope"));
        }

        return ValueTask.CompletedTask;
    });

    private static void Add(System.Net.Http.Headers.HttpRequestHeaders headers, string name, string? value)
    {
        if (value is not null)
        {
            headers.TryAddWithoutValidation(name, value);
        }
    }
}

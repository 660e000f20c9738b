using AuthService.Application.Federation;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Infrastructure.Federation;

/// <summary>
/// The upstream protocols and what they need (docs/adr/0037 "Protocols"): both are <see cref="IUpstreamProtocol"/>; the
/// sign-in flow takes the one whose <see cref="IUpstreamProtocol.Protocol"/> is the provider's.
/// </summary>
internal static class FederationServices
{
    public static IServiceCollection AddUpstreamProtocols(this IServiceCollection services)
    {
        services.AddHttpClient(UpstreamHttp.ClientName, client => client.Timeout = UpstreamHttp.Timeout)
            .ConfigurePrimaryHttpMessageHandler(UpstreamHttp.CreateHandler);
        services.AddSingleton<UpstreamHttp>();
        services.AddSingleton<OpenIdConnectDiscovery>();
        services.AddSingleton<IUpstreamClientSecret, UpstreamClientSecret>();
        services.AddSingleton<IUpstreamProtocol, OpenIdConnectProtocol>();
        services.AddSingleton<IUpstreamProtocol, OAuth2Protocol>();
        return services;
    }
}

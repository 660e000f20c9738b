using System.Text.Json.Serialization;
using AuthService.Domain.Resources;

namespace AuthService.Application.Resources.Common;

/// <summary>
/// A protected resource as the seed file and the admin API declare it: only <c>resource</c> and <c>scopes</c> are
/// required; <c>name</c> defaults to the identifier, <c>access_token_lifetime</c> (seconds) to the client's,
/// <c>access_token_signing_alg</c> to the server's; the client lists default to empty.
/// </summary>
public sealed record ResourceMetadata(
    [property: JsonPropertyName("resource")] string? Resource,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("scopes")] IReadOnlyList<string>? Scopes,
    [property: JsonPropertyName("access_token_lifetime")] int? AccessTokenLifetime = null,
    [property: JsonPropertyName("access_token_signing_alg")] string? AccessTokenSigningAlg = null,
    [property: JsonPropertyName("introspection_clients")] IReadOnlyList<string>? IntrospectionClients = null,
    [property: JsonPropertyName("allowed_clients")] IReadOnlyList<string>? AllowedClients = null)
{
    /// <summary>The settings of the resource named <paramref name="resource"/>; the aggregate validates them.</summary>
    public ProtectedResourceSettings ToSettings(string resource) => new(
        Name ?? resource,
        Scopes ?? [],
        AccessTokenLifetime is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        AccessTokenSigningAlg,
        IntrospectionClients ?? [],
        AllowedClients ?? []);
}

/// <summary>A protected resource as the admin API shows it.</summary>
public sealed record ResourceResponse(
    string Resource,
    string Name,
    IReadOnlyList<string> Scopes,
    int? AccessTokenLifetime,
    string? AccessTokenSigningAlg,
    IReadOnlyList<string> IntrospectionClients,
    IReadOnlyList<string> AllowedClients,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ResourceResponse From(ProtectedResource resource) => new(
        resource.Resource,
        resource.Name,
        [.. resource.Scopes],
        resource.AccessTokenLifetime is { } lifetime ? (int)lifetime.TotalSeconds : null,
        resource.AccessTokenSigningAlg,
        [.. resource.IntrospectionClients],
        [.. resource.AllowedClients],
        resource.Enabled,
        resource.CreatedAt.ToUniversalTime(),
        resource.UpdatedAt.ToUniversalTime());
}

/// <summary>A resource and its version (its <c>ETag</c>).</summary>
public sealed record ResourceResult(ResourceResponse Resource, int Version);

using AuthService.Application.Authorization;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Domain.Resources;

namespace AuthService.Application.Resources;

/// <summary>What an access token is issued for: its <c>aud</c> (RFC 9068 §3), scope, lifetime and signing algorithm (null: the server's).</summary>
public sealed record TokenAudience(IReadOnlyList<string> Audiences, IReadOnlyList<string> Scopes, TimeSpan Lifetime, string? Algorithm);

/// <summary>
/// Resource indicators (RFC 8707): parses the <c>resource</c> parameter, checks each value against the registered
/// protected resources, and works out what a token for them carries. Without any resource nothing changes: the token's
/// audience is the client's default (or the issuer) and its scope the one granted.
/// </summary>
public sealed class ResourceIndicators(IProtectedResourceRepository resources)
{
    public const int MaxResources = 10;

    /// <summary>The separator of several <c>resource</c> values carried in one parameter: a space, which no valid URI contains.</summary>
    public const char Separator = ' ';

    /// <summary>
    /// Joins repeated <c>resource</c> values (RFC 8707 §2: "may be used multiple times") into one carried value. A
    /// value that itself contains a space is not a URI: its spaces become tabs, so it stays one value and fails parsing.
    /// </summary>
    public static string Join(IEnumerable<string> values) =>
        string.Join(Separator, values.Select(v => v.Replace(Separator, '\t')));

    /// <summary>The distinct resource indicators in <paramref name="value"/>; each an absolute URI without a fragment (RFC 8707 §2).</summary>
    public static ProtocolResult<IReadOnlyList<string>> Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return ProtocolResult<IReadOnlyList<string>>.Success([]);
        }

        var values = value.Split(Separator, StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (values.Count > MaxResources)
        {
            return OAuthError.TooManyResources;
        }

        return values.Any(v => ProtectedResource.ValidateIdentifier(v) is not null)
            ? OAuthError.MalformedResource
            : ProtocolResult<IReadOnlyList<string>>.Success(values);
    }

    /// <summary>Each named resource must be registered, enabled and available to the client (RFC 8707 §2: else <c>invalid_target</c>).</summary>
    public async Task<ProtocolResult<IReadOnlyList<ProtectedResource>>> ResolveAsync(
        IReadOnlyList<string> identifiers, ClientSnapshot client, CancellationToken cancellationToken)
    {
        if (identifiers.Count == 0)
        {
            return ProtocolResult<IReadOnlyList<ProtectedResource>>.Success([]);
        }

        var found = await resources.FindManyAsync(identifiers, cancellationToken);
        var resolved = new List<ProtectedResource>(identifiers.Count);
        foreach (var identifier in identifiers)
        {
            var resource = found.FirstOrDefault(r => string.Equals(r.Resource, identifier, StringComparison.Ordinal));
            if (resource is null || !resource.IsAvailableTo(client.ClientId, client.AllowedScopeSet))
            {
                return OAuthError.ResourceNotAllowed;
            }

            resolved.Add(resource);
        }

        return resolved;
    }

    /// <summary>
    /// The resources an authorization request names (the authorization endpoint, PAR, the device authorization endpoint;
    /// RFC 8707 §2.1): each registered, enabled, available to the client, and granted one of the requested scopes.
    /// </summary>
    public async Task<ProtocolResult<IReadOnlyList<RequestedResource>>> RequestedAsync(
        string? value, ClientSnapshot client, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var parsed = Parse(value);
        if (!parsed.IsSuccess)
        {
            return parsed.Error;
        }

        var resolved = await ResolveAsync(parsed.Value, client, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error;
        }

        // Only whether a token could be issued matters here (each resource keeps a requested scope, one algorithm):
        // with no resources nothing can fail, and the audience is not used, so no issuer is needed.
        var target = Target(resolved.Value, scopes, client, issuer: string.Empty);
        return target.IsSuccess
            ? ProtocolResult<IReadOnlyList<RequestedResource>>.Success([.. resolved.Value.Select(r => new RequestedResource(r.Resource, r.Name))])
            : target.Error;
    }

    /// <summary>
    /// The resources a token request on a grant (code or refresh token) is for. RFC 8707 §2.2: the requested ones
    /// must all be among the grant's, and are still checked against the registry (a resource disabled since is refused);
    /// none requested means all of the grant's, since the client asked for them all when it was authorized.
    /// </summary>
    public async Task<ProtocolResult<IReadOnlyList<ProtectedResource>>> ForGrantAsync(
        string? requested, IReadOnlyList<string> granted, ClientSnapshot client, CancellationToken cancellationToken)
    {
        var parsed = Parse(requested);
        if (!parsed.IsSuccess)
        {
            return parsed.Error;
        }

        if (parsed.Value.Any(r => !granted.Contains(r, StringComparer.Ordinal)))
        {
            return OAuthError.ResourceNotInGrant;
        }

        return await ResolveAsync(parsed.Value.Count > 0 ? parsed.Value : granted, client, cancellationToken);
    }

    /// <summary>
    /// What a token for <paramref name="targets"/> carries. None: the client's audience (or the issuer), the given scopes,
    /// the client's lifetime. Otherwise the <c>aud</c> is the resources' identifiers, the scope is narrowed to the given
    /// scopes that belong to them, each resource keeping at least one (else <c>invalid_target</c>, RFC 8707 §2.2: a resource
    /// and scope combination that cannot be issued), the lifetime is the shortest set on them, else the client's, and the
    /// signing algorithm the one they set (resources asking for different ones cannot share a token).
    /// </summary>
    public static ProtocolResult<TokenAudience> Target(
        IReadOnlyList<ProtectedResource> targets, IReadOnlyList<string> scopes, ClientSnapshot client, string issuer)
    {
        if (targets.Count == 0)
        {
            return new TokenAudience([client.Audience ?? issuer], scopes, client.AccessTokenLifetime, Algorithm: null);
        }

        if (targets.Any(resource => !resource.Scopes.Any(s => scopes.Contains(s, StringComparer.Ordinal))))
        {
            return OAuthError.ResourceScopeMismatch;
        }

        var algorithms = targets.Select(r => r.AccessTokenSigningAlg).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (algorithms.Count > 1)
        {
            return OAuthError.ResourcesNotCombinable;
        }

        var narrowed = scopes.Where(scope => targets.Any(r => r.Scopes.Contains(scope, StringComparer.Ordinal))).ToList();
        var lifetime = targets.Select(r => r.AccessTokenLifetime).OfType<TimeSpan>().DefaultIfEmpty(client.AccessTokenLifetime).Min();
        return new TokenAudience([.. targets.Select(r => r.Resource)], narrowed, lifetime, algorithms.FirstOrDefault());
    }
}

namespace AuthService.Domain.Clients;

/// <summary>RFC 6749 §3.3 scope syntax and the limits that keep scope processing cheap.</summary>
public static class ScopeRules
{
    public const int MaxScopes = 100;
    public const int MaxScopeLength = 200;

    /// <summary>
    /// The identity scopes built into the server (OpenID Connect Core §5.4, §11), and <see cref="Tenant"/>: each describes a
    /// person, so none is granted without one (client credentials refuse them).
    /// </summary>
    public static IReadOnlyList<string> IdentityScopes { get; } = ["openid", "profile", "email", "offline_access", Tenant];

    /// <summary>
    /// The person's active tenant (<c>tenant</c>, <c>tenant_id</c>, <c>tenant_roles</c>) and, in the ID token and UserInfo,
    /// their tenants (<c>tenants</c>): docs/adr/0038 "The tenant in tokens". Asked for like <c>email</c>.
    /// </summary>
    public const string Tenant = "tenant";

    /// <summary>
    /// A person's access token with this scope reaches the tenant admin API of the tenants in which they are an owner or
    /// admin (docs/adr/0038). A client requests it like any scope it is allowed.
    /// </summary>
    public const string TenantAdmin = "tenant_admin";

    /// <summary>The scopes built into the server, as discovery lists them (<c>scopes_supported</c>, RFC 8414 §2).</summary>
    public static IReadOnlyList<string> BuiltInScopes { get; } = [.. IdentityScopes, TenantAdmin];

    public static bool IsIdentityScope(string scope) => IdentityScopes.Contains(scope, StringComparer.Ordinal);

    /// <summary>scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).</summary>
    public static bool IsValidScopeToken(string scope)
    {
        if (scope.Length is 0 or > MaxScopeLength)
        {
            return false;
        }

        foreach (var c in scope)
        {
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\')
            {
                return false;
            }
        }

        return true;
    }
}

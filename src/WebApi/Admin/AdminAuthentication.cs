using System.Security.Claims;
using System.Text.Encodings.Web;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Domain.AccessTokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AuthService.WebApi.Admin;

/// <summary>
/// The only door to the admin API: a bearer access token this server issued (RFC 6750 §2.1, header only),
/// validated in-process with the server's own keys (signature by a published key, issuer, <c>typ</c>,
/// lifetime), meant for this server (<c>aud</c> holds the issuer), not revoked, obtained by a client for
/// itself (client credentials: <c>sub</c> = <c>client_id</c>) that exists, is enabled and is still allowed
/// the <c>admin</c> scope. The one other way in is a user's token with the <c>tenant_admin</c> scope, which the tenant
/// admin policy (<see cref="TenantAdminAuthorization"/>) admits to the routes of a tenant the user administers, checked
/// against the database on every request (docs/adr/0038). No API key, no cookie, no other scheme.
/// </summary>
public sealed class AdminAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IAccessTokenValidator validator,
    IClientCatalog clients,
    IIssuerProvider issuer,
    Microsoft.AspNetCore.Http.IProblemDetailsService problemDetails) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminBearer";
    public const string Policy = "admin";
    /// <summary>One definition, shared with the rule that an admin client may not drop its own admin scope.</summary>
    public const string Scope = Application.Clients.Commands.UpdateClient.UpdateClientHandler.AdminScope;
    public const string ClientIdClaim = "client_id";
    public const string ScopeClaim = "scope";

    /// <summary>The user of a tenant administrator's token (docs/adr/0038); absent for an admin client.</summary>
    public const string SubjectClaim = "sub";

    public const string TenantAdminScope = Application.Tenants.Common.TenantAdministration.TenantAdminScope;

    private const string Realm = "authservice-admin";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length == 7)
        {
            return AuthenticateResult.Fail("The Authorization header is not a bearer token.");
        }

        var token = await validator.ValidateAsync(header[7..].Trim(), Context.RequestAborted);
        // A user's token (sub is the user, not the client) counts only for the tenant admin API, through tenant_admin.
        var usersToken = token is not null && !string.Equals(token.Subject, token.ClientId, StringComparison.Ordinal);
        if (token is null
            || !token.Audiences.Contains(issuer.Issuer, StringComparer.Ordinal)
            || (usersToken && !HasScope(token.Scope, TenantAdminScope))
            // RFC 9449 §7.1 (CVE-2024-49755): a DPoP-bound token is never a bearer token, and this API takes no DPoP
            // proofs (docs/adr/0022), so a DPoP-bound admin token is refused here.
            || token.Confirmation?.Jkt is not null
            // RFC 8705 §3: a certificate-bound token is no bearer token; only its certificate makes it usable.
            || !MutualTlsBinding.Accepts(token, Context.RequestServices.GetRequiredService<MutualTls.ClientCertificateSource>().Find(Context)?.Thumbprint)
            // Resolved only now: the denylist repository opens a database context, which no other request should pay for.
            || await Context.RequestServices.GetRequiredService<IRevokedAccessTokenRepository>().IsRevokedAsync(token.JwtId, token.Family, Context.RequestAborted))
        {
            return AuthenticateResult.Fail("The access token is invalid, expired, revoked or not meant for this server.");
        }

        var client = await clients.FindAsync(token.ClientId, Context.RequestAborted);
        if (client is not { Enabled: true })
        {
            return AuthenticateResult.Fail("The token's client is disabled or gone.");
        }

        // A scope the client has since lost no longer counts, even in a token issued before. A user's token carries at most
        // tenant_admin here: the admin scope in a user's token never makes a platform administrator.
        var claims = new List<Claim> { new(ClientIdClaim, token.ClientId) };
        if (usersToken)
        {
            claims.Add(new Claim(SubjectClaim, token.Subject));
        }

        claims.AddRange((token.Scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(scope => client.AllowedScopeSet.Contains(scope) && (!usersToken || scope == TenantAdminScope))
            .Select(scope => new Claim(ScopeClaim, scope)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClientIdClaim, null));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>401 (RFC 6750 §3.1): no error code without a token, <c>invalid_token</c> with a bad one; problem details body.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = !string.IsNullOrEmpty(Request.Headers.Authorization);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = presented
            ? $"Bearer realm=\"{Realm}\", error=\"{OAuthError.InvalidAccessToken.Code}\", error_description=\"{OAuthError.InvalidAccessToken.Description}\""
            : $"Bearer realm=\"{Realm}\"";
        return WriteProblemAsync(StatusCodes.Status401Unauthorized, presented
            ? "The access token is invalid, expired, revoked, not meant for this server, or its client is disabled."
            : "An access token with the admin scope is required (client credentials grant, scope=admin).");
    }

    /// <summary>
    /// 403 <c>insufficient_scope</c> (RFC 6750 §3.1): a valid token without the admin scope, or a tenant administrator's token
    /// outside the tenant they administer (docs/adr/0038: the same answer whether or not that tenant exists).
    /// </summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.Headers.WWWAuthenticate = $"Bearer realm=\"{Realm}\", error=\"insufficient_scope\", scope=\"{Scope}\"";
        return WriteProblemAsync(StatusCodes.Status403Forbidden, Context.User.HasClaim(c => c.Type == SubjectClaim)
            ? "A tenant administrator's token reaches only the tenant admin routes of a tenant in which its user is an owner or admin."
            : "The access token does not carry the admin scope.");
    }

    private static bool HasScope(string? scope, string wanted) =>
        (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(wanted, StringComparer.Ordinal);

    private async Task WriteProblemAsync(int status, string detail) =>
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Detail = detail },
        });
}

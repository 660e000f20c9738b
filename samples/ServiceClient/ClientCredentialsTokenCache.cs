using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ServiceClient;

/// <summary>A cached access token: its value, when to get the next one, and a short fingerprint for the logs (never the token itself).</summary>
public sealed record CachedToken(string AccessToken, DateTimeOffset RenewAt, DateTimeOffset ExpiresAt)
{
    public string Fingerprint { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(AccessToken)))[..12];
}

/// <summary>
/// Client-credentials tokens (RFC 6749 §4.4) for this service, shared by every call until <see cref="TokenClientOptions.RefreshBefore"/>
/// ahead of their expiry. One request at a time goes to the token endpoint: concurrent callers wait for it and share its token.
/// </summary>
public sealed partial class ClientCredentialsTokenCache(HttpClient http, IOptions<TokenClientOptions> options, TimeProvider time,
    ILogger<ClientCredentialsTokenCache> logger) : IDisposable
{
    private const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TokenClientOptions _options = options.Value;
    private CachedToken? _current;
    private ServerMetadata? _metadata;

    /// <summary>The cached token while it is fresh, else a new one.</summary>
    public async Task<CachedToken> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } fresh && time.GetUtcNow() < fresh.RenewAt)
        {
            return fresh;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have renewed it while this one waited.
            if (_current is { } renewed && time.GetUtcNow() < renewed.RenewAt)
            {
                return renewed;
            }

            _current = await RequestAsync(cancellationToken);
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> (the API refused it: revoked, or signed by a key it no longer trusts), so the next call gets a new one.</summary>
    public void Invalidate(CachedToken token) => Interlocked.CompareExchange(ref _current, null, token);

    private async Task<CachedToken> RequestAsync(CancellationToken cancellationToken)
    {
        var metadata = _metadata ??= await http.GetFromJsonAsync<ServerMetadata>(
            _options.Authority.TrimEnd('/') + "/.well-known/oauth-authorization-server", cancellationToken)
            ?? throw new InvalidOperationException("The authorization server's metadata is empty.");

        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (!string.IsNullOrEmpty(_options.Scope))
        {
            form["scope"] = _options.Scope;
        }

        if (!string.IsNullOrEmpty(_options.Resource))
        {
            form["resource"] = _options.Resource;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, metadata.TokenEndpoint);
        string method;
        if (!string.IsNullOrEmpty(_options.ClientSecret))
        {
            // RFC 6749 §2.3.1: client_id and secret are form-encoded before they are joined for Basic.
            var credentials = $"{Uri.EscapeDataString(_options.ClientId)}:{Uri.EscapeDataString(_options.ClientSecret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
            method = "client_secret_basic";
        }
        else
        {
            form["client_assertion_type"] = JwtBearerAssertionType;
            form["client_assertion"] = ClientAssertion(metadata.Issuer);
            method = "private_key_jwt";
        }

        request.Content = new FormUrlEncodedContent(form);
        var requestedAt = time.GetUtcNow();
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // RFC 6749 §5.2: the error JSON names what went wrong (invalid_client, invalid_scope, ...); it holds no secret.
            throw new HttpRequestException($"The token endpoint answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
            ?? throw new InvalidOperationException("The token response is empty.");
        // expires_in counts from when the server answered; counting from when the request left errs on the safe side.
        var expiresAt = requestedAt.AddSeconds(body.ExpiresIn);
        var renewAt = expiresAt - _options.RefreshBefore;
        var token = new CachedToken(body.AccessToken, renewAt > requestedAt ? renewAt : requestedAt.AddSeconds(body.ExpiresIn / 2.0), expiresAt);
        LogTokenAcquired(token.Fingerprint, method, body.ExpiresIn);
        return token;
    }

    /// <summary>
    /// The private_key_jwt assertion (RFC 7523 §3, OpenID Connect Core §9): iss and sub the client_id, aud the issuer, a unique jti
    /// (the server accepts each once), and a short life.
    /// </summary>
    private string ClientAssertion(string issuer)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(_options.PrivateKeyFile!));
        var key = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: true)) { KeyId = _options.KeyId };
        var now = time.GetUtcNow();
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.ClientId,
            Subject = new ClaimsIdentity([new Claim("sub", _options.ClientId), new Claim("jti", Guid.NewGuid().ToString("N"))]),
            Audience = issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddSeconds(60).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Token {Fingerprint} acquired ({Method}), expires in {ExpiresIn} s")]
    private partial void LogTokenAcquired(string fingerprint, string method, int expiresIn);

    private sealed record ServerMetadata(
        [property: JsonPropertyName("issuer")] string Issuer,
        [property: JsonPropertyName("token_endpoint")] string TokenEndpoint);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}

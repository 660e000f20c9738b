using AuthService.Domain.SigningKeys;

namespace AuthService.Infrastructure;

/// <summary>The <c>Auth</c> configuration section. Names are part of the operator contract (PRODUCT.md).</summary>
public sealed class AuthServerOptions
{
    public const string SectionName = "Auth";

    /// <summary>The issuer URL; default: the first URL the server listens on.</summary>
    public string? Issuer { get; set; }

    /// <summary>Optional seed file applied idempotently at start.</summary>
    public string? SeedFile { get; set; }

    /// <summary>Apply EF Core migrations at start (PostgreSQL); the embedded database is always migrated.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Folder of the embedded SQLite database and the generated key-encryption key file; relative to the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Base64 of 32 random bytes: the AES-256 key that encrypts private signing keys at rest. Every replica
    /// must have the same value. When absent, a key file is created in <see cref="DataDirectory"/>.
    /// </summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>JWS algorithm for access tokens: ES256 (default), RS256 or EdDSA (Ed25519).</summary>
    public string AccessTokenSigningAlgorithm { get; set; } = SigningAlgorithms.ES256;

    /// <summary>How long resource servers may cache the JWKS (Cache-Control max-age).</summary>
    public int JwksCacheSeconds { get; set; } = 900;

    /// <summary>How long this replica serves a client's settings from memory before reading them again.</summary>
    public int ClientCacheSeconds { get; set; } = 30;

    /// <summary>Failed client authentications per client id and source address before throttling.</summary>
    public int ClientAuthenticationFailureLimit { get; set; } = 10;

    /// <summary>The window over which failures are counted, and the time a throttled caller waits.</summary>
    public int ClientAuthenticationFailureWindowSeconds { get; set; } = 60;

    /// <summary>How often each replica re-reads the signing keys (rotations and revocations made elsewhere take effect within this).</summary>
    public int KeyRingRefreshSeconds { get; set; } = 30;

    /// <summary>
    /// Keep the access-token denylist in memory on each replica (docs/adr/0040): introspection, UserInfo and the admin API then
    /// answer "revoked?" without a database round trip. On PostgreSQL the copy follows the database through <c>LISTEN</c>/<c>NOTIFY</c>
    /// and answers only while its listening connection is up; turn it off behind a connection pooler that cannot
    /// <c>LISTEN</c> (PgBouncer in transaction mode).
    /// </summary>
    public bool DenylistInMemory { get; set; } = true;

    /// <summary>How often expired entries of the access-token denylist are deleted.</summary>
    public int RevocationPurgeIntervalSeconds { get; set; } = 3600;

    /// <summary>
    /// Was the PBKDF2-HMAC-SHA512 iteration count of new password hashes. Since docs/adr/0017 new hashes are
    /// Argon2id and PBKDF2 hashes are re-hashed at the next sign-in, so it no longer has an effect; the key is
    /// still read and validated (at least 210,000) so that existing configuration keeps its meaning at start-up.
    /// </summary>
    public int PasswordHashIterations { get; set; } = 210_000;

    /// <summary>
    /// Serve Swagger UI and the OpenAPI document at /swagger. Off unless enabled: API documentation is
    /// not published by default in production (ASVS 13.4.5); scripts/run.sh turns it on for development.
    /// </summary>
    public bool SwaggerEnabled { get; set; }

    /// <summary>
    /// Allow a client's <c>jwks_uri</c> to be fetched from a loopback address (http or https), for development and tests.
    /// Off by default; the Development environment allows it too. Private, link-local, multicast, unique-local, CGNAT and
    /// cloud-metadata addresses are refused whatever this says (docs/adr/0021).
    /// </summary>
    public bool ClientJwksUriAllowLoopback { get; set; }

    /// <summary>How long a client's key set fetched from its <c>jwks_uri</c> is used before it is fetched again.</summary>
    public int ClientJwksUriCacheSeconds { get; set; } = 300;

    /// <summary>The least time between two fetches of one client's <c>jwks_uri</c> prompted by an unknown <c>kid</c>.</summary>
    public int ClientJwksUriRefetchSeconds { get; set; } = 30;

    /// <summary>How long one fetch of a <c>jwks_uri</c> may take, connection included, before it fails.</summary>
    public int ClientJwksUriTimeoutSeconds { get; set; } = 5;
}

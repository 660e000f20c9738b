using System.Text.Json;
using System.Text.Json.Serialization;
using AuthService.Domain.SigningKeys;

namespace AuthService.Application.SigningKeys;

/// <summary>
/// A signing key as the admin API shows it: its lifecycle dates and its public JWK, never private material
/// (the encrypted private key and its key-encryption key id stay in the store). <see cref="Version"/> is the ETag.
/// </summary>
public sealed record SigningKeyResponse(
    string Kid,
    string Alg,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActivatesAt,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? RetiredAt,
    DateTimeOffset? RemovableAt,
    DateTimeOffset? RemovedAt,
    DateTimeOffset? RevokedAt,
    JsonElement Jwk)
{
    [JsonIgnore]
    public int Version { get; init; }

    public static SigningKeyResponse From(SigningKey key) => new(
        key.KeyId,
        key.Algorithm,
        StateName(key.State),
        key.CreatedAt,
        key.ActivatesAt,
        key.ActivatedAt,
        key.RetiredAt,
        key.RemovableAt,
        key.RemovedAt,
        key.RevokedAt,
        JsonDocument.Parse(key.PublicJwk).RootElement.Clone())
    {
        Version = key.Version,
    };

    /// <summary>The wire names of the states: <c>pending</c>, <c>active</c>, <c>retired</c>, <c>removed</c>, <c>revoked</c>.</summary>
    public static string StateName(SigningKeyState state) => state.ToString().ToLowerInvariant();

    public static SigningKeyState? ParseState(string? name) =>
        Enum.GetValues<SigningKeyState>().Where(s => StateName(s) == name).Select(s => (SigningKeyState?)s).FirstOrDefault();
}

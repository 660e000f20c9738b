using System.Text.Json.Serialization;

namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// The <c>cnf</c> claim of a sender-constrained token (RFC 7800 §3.1): the SHA-256 JWK thumbprint of the
/// DPoP key (RFC 9449 §6.1, <c>jkt</c>) or of the client certificate (RFC 8705 §3.1, <c>x5t#S256</c>).
/// A token carrying one is usable only by whoever proves possession of that key.
/// </summary>
public sealed record TokenConfirmation(
    [property: JsonPropertyName("jkt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Jkt = null,
    [property: JsonPropertyName("x5t#S256"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? X5tS256 = null)
{
    public const string JktMember = "jkt";
    public const string X5tS256Member = "x5t#S256";

    [JsonIgnore] // not a cnf member: introspection serializes this record as is
    public bool IsEmpty => Jkt is null && X5tS256 is null;

    /// <summary>The members present, for a JWT payload.</summary>
    public IReadOnlyDictionary<string, object> ToClaim()
    {
        var members = new Dictionary<string, object>(2, StringComparer.Ordinal);
        if (Jkt is not null)
        {
            members[JktMember] = Jkt;
        }

        if (X5tS256 is not null)
        {
            members[X5tS256Member] = X5tS256;
        }

        return members;
    }
}

using AuthService.Domain.Common;
using AuthService.Domain.Resources;

namespace AuthService.Domain.Clients;

/// <summary>
/// What a client registered for token exchange (RFC 8693) may do with it; RFC 8693 §2.1 and §5 leave this policy to
/// the server. Everything is opt-in: the default (no policy) lets a client exchange only tokens issued to itself, for
/// its own default audience, and only as delegation (with an actor token).
/// </summary>
public sealed record TokenExchangePolicy
{
    public const int MaxEntries = 50;

    public static readonly TokenExchangePolicy None = new();

    /// <summary>
    /// The registered protected resources (RFC 8707 identifiers) an exchanged token may be issued for, named with
    /// <c>resource</c> or <c>audience</c>. Empty: none, the token is for the client's default audience only.
    /// </summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>
    /// The clients whose tokens this client may exchange, besides its own: the client an access token was issued to,
    /// the client of a refresh token's family, the audience of an ID token.
    /// </summary>
    public IReadOnlyList<string> SubjectClients { get; init; } = [];

    /// <summary>
    /// The external issuers (<c>iss</c> of a JWT, RFC 8693 §3 <c>urn:ietf:params:oauth:token-type:jwt</c>) whose tokens
    /// this client may exchange; each must also be configured as trusted by the operator. Empty: none.
    /// </summary>
    public IReadOnlyList<string> SubjectIssuers { get; init; } = [];

    /// <summary>Whether an exchange without an actor token (impersonation, RFC 8693 §1.1) is allowed.</summary>
    public bool Impersonation { get; init; }

    public bool IsNone => Audiences.Count == 0 && SubjectClients.Count == 0 && SubjectIssuers.Count == 0 && !Impersonation;

    /// <summary>Whether a token issued to <paramref name="subjectClientId"/> may be exchanged by <paramref name="clientId"/>.</summary>
    public bool MayExchangeTokenOf(string clientId, string subjectClientId) =>
        string.Equals(clientId, subjectClientId, StringComparison.Ordinal) || SubjectClients.Contains(subjectClientId, StringComparer.Ordinal);

    /// <summary>Whether a JWT of the external issuer <paramref name="issuer"/> may be exchanged.</summary>
    public bool MayExchangeTokenFrom(string issuer) => SubjectIssuers.Contains(issuer, StringComparer.Ordinal);

    /// <summary>Whether an exchanged token may be issued for <paramref name="resource"/>.</summary>
    public bool AllowsAudience(string resource) => Audiences.Contains(resource, StringComparer.Ordinal);

    public bool SameAs(TokenExchangePolicy other) =>
        Audiences.SequenceEqual(other.Audiences) && SubjectClients.SequenceEqual(other.SubjectClients)
        && SubjectIssuers.SequenceEqual(other.SubjectIssuers) && Impersonation == other.Impersonation;

    /// <summary>Throws <see cref="DomainRuleViolationException"/> naming the member: bounded, distinct, well-formed entries.</summary>
    internal void Validate(bool hasGrant)
    {
        Guard.Against(!hasGrant && !IsNone, "token_exchange", "token_exchange applies only to a client registered for the token exchange grant.");
        Guard.Against(Audiences.Count > MaxEntries || SubjectClients.Count > MaxEntries || SubjectIssuers.Count > MaxEntries, "token_exchange",
            $"token_exchange lists at most {MaxEntries} audiences, subject clients and subject issuers each.");
        foreach (var audience in Audiences)
        {
            Guard.Against(ProtectedResource.ValidateIdentifier(audience) is not null, "token_exchange.audiences",
                $"Each audience is a resource identifier that {ProtectedResource.ValidateIdentifier(audience)}.");
        }

        foreach (var clientId in SubjectClients)
        {
            Guard.Against(string.IsNullOrEmpty(clientId) || clientId.Length > Client.MaxClientIdLength || clientId.Any(c => c < 0x20 || c > 0x7E),
                "token_exchange.subject_clients", "Each subject client is a client_id of printable ASCII characters.");
        }

        foreach (var issuer in SubjectIssuers)
        {
            Guard.Against(ProtectedResource.ValidateIdentifier(issuer) is not null, "token_exchange.subject_issuers",
                $"Each subject issuer is an issuer identifier URL that {ProtectedResource.ValidateIdentifier(issuer)}.");
        }

        Guard.Against(SubjectIssuers.Distinct(StringComparer.Ordinal).Count() != SubjectIssuers.Count, "token_exchange.subject_issuers",
            "Subject issuers must not repeat.");
        Guard.Against(Audiences.Distinct(StringComparer.Ordinal).Count() != Audiences.Count, "token_exchange.audiences", "Audiences must not repeat.");
        Guard.Against(SubjectClients.Distinct(StringComparer.Ordinal).Count() != SubjectClients.Count, "token_exchange.subject_clients",
            "Subject clients must not repeat.");
    }
}

namespace AuthService.ResourceServer.Authority;

/// <summary>What the resource server uses of the authority's metadata (RFC 8414 §2), and its signing keys by <c>kid</c>.</summary>
internal sealed record AuthorityMetadata(
    string Issuer,
    Uri JwksUri,
    Uri? IntrospectionEndpoint,
    IReadOnlyDictionary<string, Jose.VerificationKey> Keys,
    DateTimeOffset FetchedAt);

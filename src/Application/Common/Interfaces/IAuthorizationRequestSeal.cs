namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// Where a verified authorization request came from: pushed by the authenticated client (RFC 9126), or a
/// signed request object (RFC 9101).
/// </summary>
public enum VerifiedRequestOrigin
{
    Pushed = 1,
    RequestObject = 2,
}

/// <summary>
/// The parameters of a verified authorization request, as sealed for the sign-in and consent pages;
/// <paramref name="PushedRequestHash"/> names the pushed request it came from, used up with its response.
/// </summary>
public sealed record SealedAuthorizationRequest(
    VerifiedRequestOrigin Origin,
    string ClientId,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    IReadOnlyDictionary<string, string> Parameters,
    string? PushedRequestHash = null);

/// <summary>
/// Seals a verified authorization request so that it can ride through the browser (the pages' hidden field, the
/// redirect back to the authorization endpoint) without being altered: a MAC with a key of the server's own,
/// derived for this purpose only. Not encryption: the parameters are those a plain request carries in its URL.
/// </summary>
public interface IAuthorizationRequestSeal
{
    string Seal(SealedAuthorizationRequest request);

    /// <summary>The sealed request, or null when the text is malformed or was not sealed by this server.</summary>
    SealedAuthorizationRequest? Unseal(string sealedRequest);
}

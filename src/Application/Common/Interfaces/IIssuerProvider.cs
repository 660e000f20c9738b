namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// The issuer identifier (RFC 8414 §2): <c>Auth:Issuer</c>, or the first URL the server listens on.
/// It is never taken from a request's Host header (RFC 9700 §4.13).
/// </summary>
public interface IIssuerProvider
{
    string Issuer { get; }

    /// <summary>An absolute URL of this server for <paramref name="path"/>.</summary>
    string Url(string path) => Issuer + path;
}

using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;

namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// Reads a request object passed by value (RFC 9101 §2.1, §5.1): a compact JWS signed with a key the client
/// registered, whose claims are the authorization request's parameters. Anything else is
/// <see cref="OAuthError.RequestObjectInvalid"/>.
/// </summary>
public interface IRequestObjectReader
{
    /// <summary>The parameters the request object carries (its JWT claims dropped), <c>client_id</c> among them.</summary>
    Task<ProtocolResult<IReadOnlyDictionary<string, string>>> ReadAsync(ClientSnapshot client, string requestObject, CancellationToken cancellationToken);
}

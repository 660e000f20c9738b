using AuthService.Domain.Clients;

namespace AuthService.Application.Registration.Common;

/// <summary>
/// RFC 7592 §1, §3: the client configuration endpoint is protected by the client's own registration access token.
/// An unknown client, a static one, a disabled one and another client's token all yield null, so the caller answers
/// them alike (no information about which client ids exist).
/// </summary>
public static class RegistrationAccess
{
    public static async Task<Client?> AuthorizeAsync(IClientRepository clients, string clientId, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(clientId) || clientId.Length > Client.MaxClientIdLength)
        {
            return null;
        }

        var client = await clients.FindByClientIdAsync(clientId, cancellationToken);
        return client is not null && client.AcceptsRegistrationAccessToken(token) ? client : null;
    }
}

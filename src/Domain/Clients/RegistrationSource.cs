namespace AuthService.Domain.Clients;

/// <summary>How a client came to exist: declared by an operator (seed file, admin API) or registered by itself (RFC 7591).</summary>
public enum RegistrationSource
{
    /// <summary>Declared by an operator; may be first-party (no consent) and is never managed through RFC 7592.</summary>
    Static = 0,

    /// <summary>Registered itself at the registration endpoint: never first-party, managed with its registration access token.</summary>
    Dynamic = 1,
}

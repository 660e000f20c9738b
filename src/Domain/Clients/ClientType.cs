namespace AuthService.Domain.Clients;

/// <summary>RFC 6749 §2.1 client types.</summary>
public enum ClientType
{
    Confidential = 0,
    Public = 1,
}

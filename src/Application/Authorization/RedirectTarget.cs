namespace AuthService.Application.Authorization;

/// <summary>Where an error goes: a page at this server, or back to the client's validated redirect URI.</summary>
public sealed record RedirectTarget(string RedirectUri, string ResponseMode, string? State);

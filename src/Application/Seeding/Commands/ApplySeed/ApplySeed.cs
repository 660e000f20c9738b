using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Seeding.Commands.ApplySeed;

/// <summary>
/// Applies a seed document idempotently: a declared client is created when absent and brought in line
/// with the declaration when it differs; applying the same document twice changes nothing. All or
/// nothing: one invalid client fails the whole seed and nothing is written.
/// </summary>
public sealed record ApplySeed(SeedDocument Document) : IRequest<SeedResult>;

public sealed record SeedResult(int Created, int Updated, int Unchanged);

public sealed partial class ApplySeedHandler(
    IClientRepository clients,
    IUnitOfWork unitOfWork,
    TimeProvider clock,
    ILogger<ApplySeedHandler> logger) : IRequestHandler<ApplySeed, SeedResult>
{
    public async Task<SeedResult> Handle(ApplySeed request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        int created = 0, updated = 0, unchanged = 0;
        var seeded = request.Document.Clients ?? [];
        for (var i = 0; i < seeded.Count; i++)
        {
            var declared = seeded[i];
            try
            {
                var settings = ToSettings(declared);
                var secret = declared.ClientSecret is null ? null : SecretHash.Compute(declared.ClientSecret);
                var existing = await clients.FindByClientIdAsync(declared.ClientId!, cancellationToken);
                if (existing is null)
                {
                    clients.Add(Client.Register(declared.ClientId!, settings, secret, now));
                    created++;
                }
                else if (existing.Reconfigure(settings, secret, now))
                {
                    updated++;
                }
                else
                {
                    unchanged++;
                }
            }
            catch (DomainRuleViolationException ex)
            {
                throw new RequestValidationException(new Dictionary<string, string[]> { [$"clients[{i}].{ex.Field}"] = [ex.Message] });
            }
        }

        await unitOfWork.SaveChangesAsync(cancellationToken);
        if (request.Document.Users is { Count: > 0 } users)
        {
            LogUsersNotSupported(logger, users.Count);
        }

        LogApplied(logger, created, updated, unchanged);
        return new SeedResult(created, updated, unchanged);
    }

    /// <summary>
    /// RFC 7591 §2 defaults, with one convenience: a client without a secret and without an auth
    /// method is public (<c>none</c>), as PRODUCT.md describes ("client_secret: absent for public clients").
    /// </summary>
    internal static ClientSettings ToSettings(SeedClient client) => new(
        ClientName: client.ClientName ?? client.ClientId!,
        TokenEndpointAuthMethod: client.TokenEndpointAuthMethod
            ?? (client.ClientSecret is null ? TokenEndpointAuthMethods.None : TokenEndpointAuthMethods.ClientSecretBasic),
        RedirectUris: client.RedirectUris ?? [],
        PostLogoutRedirectUris: client.PostLogoutRedirectUris ?? [],
        GrantTypes: client.GrantTypes ?? [GrantTypes.AuthorizationCode],
        AllowedScopes: client.Scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [],
        AccessTokenLifetime: client.AccessTokenLifetime is { } seconds ? TimeSpan.FromSeconds(seconds) : ClientSettings.DefaultAccessTokenLifetime,
        Audience: client.Audience);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Seed applied: {Created} clients created, {Updated} updated, {Unchanged} unchanged")]
    private static partial void LogApplied(ILogger logger, int created, int updated, int unchanged);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "The seed file declares {Count} users; user accounts are not part of this version yet, so they were not created")]
    private static partial void LogUsersNotSupported(ILogger logger, int count);
}

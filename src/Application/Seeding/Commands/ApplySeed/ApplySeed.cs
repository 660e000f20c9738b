using AuthService.Application.Clients.Common;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Application.Resources.Common;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.Resources;
using AuthService.Domain.SigningKeys;
using AuthService.Domain.Users;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Seeding.Commands.ApplySeed;

/// <summary>
/// Applies a seed document idempotently: a declared client is created when absent and brought in line
/// with the declaration when it differs; applying the same document twice changes nothing. All or
/// nothing: one invalid client fails the whole seed and nothing is written.
/// </summary>
public sealed record ApplySeed(SeedDocument Document) : IRequest<SeedResult>;

/// <summary>Counts over clients, users, resources and upstream providers together.</summary>
public sealed record SeedResult(int Created, int Updated, int Unchanged);

public sealed partial class ApplySeedHandler(
    IClientRepository clients,
    IUserRepository users,
    IProtectedResourceRepository resources,
    Domain.Federation.IExternalProviderRepository providers,
    Federation.IExternalProviderSecrets providerSecrets,
    IPasswordHasher passwords,
    IClientSecretProtector secretProtector,
    Logout.LogoutPropagation logout,
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
                var secret = declared.ClientSecret is null
                    ? null
                    : NewClientSecret.For(declared.ClientId!, settings.TokenEndpointAuthMethod, declared.ClientSecret, secretProtector);
                var existing = await clients.FindByClientIdAsync(declared.ClientId!, cancellationToken);
                if (existing is null)
                {
                    clients.Add(Client.Register(declared.ClientId!, settings, secret?.Hash, now, secret?.Protected));
                    created++;
                }
                else if (existing.Reconfigure(settings, secret?.Hash, now, secret?.Protected))
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

        var seededUsers = request.Document.Users ?? [];
        for (var i = 0; i < seededUsers.Count; i++)
        {
            try
            {
                switch (await ApplyUserAsync(seededUsers[i], now, cancellationToken))
                {
                    case Outcome.Created: created++; break;
                    case Outcome.Updated: updated++; break;
                    default: unchanged++; break;
                }
            }
            catch (DomainRuleViolationException ex)
            {
                throw new RequestValidationException(new Dictionary<string, string[]> { [$"users[{i}].{ex.Field}"] = [ex.Message] });
            }
        }

        var seededResources = request.Document.Resources ?? [];
        for (var i = 0; i < seededResources.Count; i++)
        {
            try
            {
                switch (await ApplyResourceAsync(seededResources[i], now, cancellationToken))
                {
                    case Outcome.Created: created++; break;
                    case Outcome.Updated: updated++; break;
                    default: unchanged++; break;
                }
            }
            catch (DomainRuleViolationException ex)
            {
                throw new RequestValidationException(new Dictionary<string, string[]> { [$"resources[{i}].{ex.Field}"] = [ex.Message] });
            }
        }

        var seededProviders = request.Document.ExternalProviders ?? [];
        for (var i = 0; i < seededProviders.Count; i++)
        {
            try
            {
                switch (await ApplyProviderAsync(seededProviders[i], now, cancellationToken))
                {
                    case Outcome.Created: created++; break;
                    case Outcome.Updated: updated++; break;
                    default: unchanged++; break;
                }
            }
            catch (DomainRuleViolationException ex)
            {
                throw new RequestValidationException(new Dictionary<string, string[]> { [$"external_providers[{i}].{ex.Field}"] = [ex.Message] });
            }
        }

        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        LogApplied(logger, created, updated, unchanged);
        return new SeedResult(created, updated, unchanged);
    }

    /// <summary>
    /// A declared user is created when absent. When present, the profile is brought in line, and the
    /// password is replaced only if the declared one no longer verifies (a correct password with old
    /// parameters is re-hashed), so re-applying the same file changes nothing.
    /// </summary>
    private async Task<Outcome> ApplyUserAsync(SeedUser declared, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var profile = new UserProfile(declared.Username!, declared.Email, declared.EmailVerified ?? false, declared.Name);
        var existing = await users.FindByNormalizedUsernameAsync(User.Normalize(declared.Username!), cancellationToken);
        if (existing is null)
        {
            users.Add(User.Register(Guid.NewGuid(), profile, passwords.Hash(declared.Password!), SecurityStamp.New(), now));
            return Outcome.Created;
        }

        // The stored spelling of the username stays: names are matched in normalized form.
        var changed = existing.UpdateProfile(profile with { Username = existing.Username }, now);
        switch (existing.PasswordHash is null ? PasswordVerification.Failed : passwords.Verify(existing.PasswordHash, declared.Password!))
        {
            case PasswordVerification.Failed:
                // The new stamp ends the user's sessions: their clients are told, in the seed's save (as SetUserPassword does).
                var stamp = existing.SecurityStamp;
                existing.ChangePassword(passwords.Hash(declared.Password!), SecurityStamp.New(), now);
                await logout.EnqueueForUserAsync(existing.Id, stamp, Logout.LogoutPropagation.ReasonPasswordChanged, now, cancellationToken);
                changed = true;
                break;
            case PasswordVerification.SuccessRehashNeeded:
                existing.UpgradePasswordHash(passwords.Hash(declared.Password!), now);
                changed = true;
                break;
        }

        return changed ? Outcome.Updated : Outcome.Unchanged;
    }

    /// <summary>A declared resource is created when absent and brought in line with the declaration when it differs.</summary>
    private async Task<Outcome> ApplyResourceAsync(ResourceMetadata declared, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = declared.ToSettings(declared.Resource!);
        var existing = await resources.FindAsync(declared.Resource!, cancellationToken);
        if (existing is null)
        {
            resources.Add(ProtectedResource.Register(declared.Resource!, settings, now));
            return Outcome.Created;
        }

        return existing.Reconfigure(settings, now) ? Outcome.Updated : Outcome.Unchanged;
    }

    /// <summary>
    /// A declared upstream provider is created when absent and brought in line when it differs. The secret is encrypted
    /// anew only when the declared one differs from the stored one, so re-applying the same file changes nothing.
    /// </summary>
    private async Task<Outcome> ApplyProviderAsync(Federation.Common.ExternalProviderMetadata declared, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = declared.Name!;
        var existing = await providers.FindByNameAsync(name, cancellationToken);
        var settings = declared.ToSettings(Federation.Common.DeclaredSecret.Protect(providerSecrets, name, declared, existing));
        if (existing is null)
        {
            providers.Add(Domain.Federation.ExternalProvider.Create(Guid.NewGuid(), name, settings, now));
            return Outcome.Created;
        }

        return existing.Update(settings, now) ? Outcome.Updated : Outcome.Unchanged;
    }

    private enum Outcome
    {
        Unchanged,
        Created,
        Updated,
    }

    /// <summary>
    /// RFC 7591 §2 defaults, with one convenience: a client without a secret and without an auth
    /// method is public (<c>none</c>), as PRODUCT.md describes ("client_secret: absent for public clients").
    /// </summary>
    internal static ClientSettings ToSettings(SeedClient client) =>
        client.ToMetadata().ToSettings(client.ClientId!) with
        {
            TokenEndpointAuthMethod = client.TokenEndpointAuthMethod
                ?? (client.ClientSecret is null ? TokenEndpointAuthMethods.None : TokenEndpointAuthMethods.ClientSecretBasic),
        };

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Seed applied: {Created} clients, users and resources created, {Updated} updated, {Unchanged} unchanged")]
    private static partial void LogApplied(ILogger logger, int created, int updated, int unchanged);

}

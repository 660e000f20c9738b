using AuthService.Application.Common.Security;
using AuthService.Domain.Clients;
using AuthService.Domain.Users;
using FluentValidation;

namespace AuthService.Application.Seeding.Commands.ApplySeed;

/// <summary>
/// Checks what the Client aggregate cannot see: raw secrets (it only ever receives hashes) and
/// uniqueness across the document. Messages never include a secret value.
/// </summary>
public sealed class ApplySeedValidator : AbstractValidator<ApplySeed>
{
    /// <summary>128 bits of entropy needs at least 22 random base64 characters; 16 is the floor for hand-picked ones.</summary>
    public const int MinSecretLength = 16;
    public const int MaxSecretLength = 512;

    public ApplySeedValidator()
    {
        RuleFor(x => x.Document).NotNull();

        // Errors are named as the handler names them: clients[i].<RFC 7591 member>.
        RuleForEach(x => x.Document.Clients)
            .NotNull().WithMessage("A client entry must be an object, not null.")
            .ChildRules(client =>
            {
                client.RuleFor(c => c.ClientId).NotEmpty().MaximumLength(Client.MaxClientIdLength).OverridePropertyName("client_id");
                client.RuleFor(c => c.ClientSecret!.Length)
                    .InclusiveBetween(MinSecretLength, MaxSecretLength)
                    .When(c => c.ClientSecret is not null)
                    .OverridePropertyName("client_secret")
                    .WithMessage($"client_secret must be {MinSecretLength} to {MaxSecretLength} characters long.");
                client.RuleFor(c => c.Scope!.Length).LessThanOrEqualTo(4096).When(c => c.Scope is not null).OverridePropertyName("scope");
                client.RuleFor(c => c.RedirectUris).Must(NoEmptyEntries).OverridePropertyName("redirect_uris")
                    .WithMessage("redirect_uris must not contain null or empty entries.");
                client.RuleFor(c => c.PostLogoutRedirectUris).Must(NoEmptyEntries).OverridePropertyName("post_logout_redirect_uris")
                    .WithMessage("post_logout_redirect_uris must not contain null or empty entries.");
                client.RuleFor(c => c.GrantTypes).Must(NoEmptyEntries).OverridePropertyName("grant_types")
                    .WithMessage("grant_types must not contain null or empty entries.");
            })
            .OverridePropertyName("clients")
            .When(x => x.Document?.Clients is not null);

        RuleForEach(x => x.Document.Users)
            .NotNull().WithMessage("A user entry must be an object, not null.")
            .ChildRules(user =>
            {
                user.RuleFor(u => u.Username).NotEmpty().MaximumLength(User.MaxUsernameLength).OverridePropertyName("username");

                // The message comes from the policy, which never echoes the password.
                user.RuleFor(u => u.Password)
                    .Must(password => PasswordPolicy.Validate(password) is null)
                    .WithMessage(u => PasswordPolicy.Validate(u.Password) ?? string.Empty)
                    .OverridePropertyName("password");
            })
            .OverridePropertyName("users")
            .When(x => x.Document?.Users is not null);

        RuleFor(x => x.Document.Users)
            .Must(users => Distinct(users!.Where(u => u?.Username is not null).Select(u => User.Normalize(u.Username!)))
                && Distinct(users!.Where(u => u?.Email is not null).Select(u => User.Normalize(u.Email!))))
            .When(x => x.Document?.Users is not null)
            .OverridePropertyName("users")
            .WithMessage("Each username and each email may appear only once (compared case-insensitively).");

        RuleForEach(x => x.Document.Resources)
            .NotNull().WithMessage("A resource entry must be an object, not null.")
            .ChildRules(resource =>
            {
                resource.RuleFor(r => r.Resource).NotEmpty().OverridePropertyName("resource");
                resource.RuleFor(r => r.Scopes).NotEmpty().Must(NoEmptyEntries).OverridePropertyName("scopes")
                    .WithMessage("scopes must list at least one scope, without null or empty entries.");
                resource.RuleFor(r => r.IntrospectionClients).Must(NoEmptyEntries).OverridePropertyName("introspection_clients")
                    .WithMessage("introspection_clients must not contain null or empty entries.");
                resource.RuleFor(r => r.AllowedClients).Must(NoEmptyEntries).OverridePropertyName("allowed_clients")
                    .WithMessage("allowed_clients must not contain null or empty entries.");
            })
            .OverridePropertyName("resources")
            .When(x => x.Document?.Resources is not null);

        RuleFor(x => x.Document.Resources)
            .Must(resources => Distinct(resources!.Where(r => r?.Resource is not null).Select(r => r.Resource!)))
            .When(x => x.Document?.Resources is not null)
            .OverridePropertyName("resources")
            .WithMessage("Each resource may appear only once.");

        RuleForEach(x => x.Document.ExternalProviders)
            .NotNull().WithMessage("An external provider entry must be an object, not null.")
            .ChildRules(provider =>
            {
                provider.RuleFor(p => p.Name).NotEmpty().OverridePropertyName("name");
                provider.Include(new Federation.Common.ExternalProviderMetadataValidator());
            })
            .OverridePropertyName("external_providers")
            .When(x => x.Document?.ExternalProviders is not null);

        RuleFor(x => x.Document.ExternalProviders)
            .Must(providers => Distinct(providers!.Where(p => p?.Name is not null).Select(p => p.Name!)))
            .When(x => x.Document?.ExternalProviders is not null)
            .OverridePropertyName("external_providers")
            .WithMessage("Each external provider name may appear only once.");

        RuleFor(x => x.Document.Clients)
            .Must(clients => clients!.Where(c => c is not null).Select(c => c.ClientId).Distinct(StringComparer.Ordinal).Count() == clients!.Count(c => c is not null))
            .When(x => x.Document?.Clients is not null)
            .OverridePropertyName("clients")
            .WithMessage("Each client_id may appear only once.");
    }

    private static bool NoEmptyEntries(IReadOnlyList<string>? values) => values is null || values.All(v => !string.IsNullOrEmpty(v));

    private static bool Distinct(IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Distinct(StringComparer.Ordinal).Count() == list.Count;
    }
}

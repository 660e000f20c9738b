using FluentValidation;

namespace AuthService.Application.Federation.Common;

/// <summary>
/// What the <see cref="Domain.Federation.ExternalProvider"/> aggregate cannot check: the secret itself (it only ever
/// sees it encrypted) and lists without null or empty entries. The seed file and the admin API apply the same rules.
/// Messages never include the secret.
/// </summary>
public sealed class ExternalProviderMetadataValidator : AbstractValidator<ExternalProviderMetadata>
{
    public ExternalProviderMetadataValidator()
    {
        RuleFor(p => p.Secret!.Length).InclusiveBetween(1, ExternalProviderMetadataRules.MaxSecretLength)
            .When(p => p.Secret is not null).OverridePropertyName("client_secret")
            .WithMessage($"client_secret (or apple_private_key) must be 1 to {ExternalProviderMetadataRules.MaxSecretLength} characters long.");
        RuleFor(p => p.ApplePrivateKey).Null().When(p => p.ClientSecret is not null).OverridePropertyName("apple_private_key")
            .WithMessage("Give client_secret or apple_private_key, not both: Apple's client secret is made from its private key.");
        RuleFor(p => p.Scopes).Must(NoEmptyEntries).OverridePropertyName("scopes")
            .WithMessage("scopes must not contain null or empty entries.");
        RuleFor(p => p.AllowedEmailDomains).Must(NoEmptyEntries).OverridePropertyName("allowed_email_domains")
            .WithMessage("allowed_email_domains must not contain null or empty entries.");
    }

    private static bool NoEmptyEntries(IReadOnlyList<string>? values) => values is null || values.All(v => !string.IsNullOrEmpty(v));
}

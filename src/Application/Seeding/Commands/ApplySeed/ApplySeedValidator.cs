using AuthService.Domain.Clients;
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
        RuleForEach(x => x.Document.Clients).ChildRules(client =>
        {
            client.RuleFor(c => c.ClientId).NotEmpty().MaximumLength(Client.MaxClientIdLength).OverridePropertyName("client_id");
            client.RuleFor(c => c.ClientSecret!.Length)
                .InclusiveBetween(MinSecretLength, MaxSecretLength)
                .When(c => c.ClientSecret is not null)
                .OverridePropertyName("client_secret")
                .WithMessage($"client_secret must be {MinSecretLength} to {MaxSecretLength} characters long.");
            client.RuleFor(c => c.Scope!.Length).LessThanOrEqualTo(4096).When(c => c.Scope is not null).OverridePropertyName("scope");
        }).When(x => x.Document?.Clients is not null);

        RuleFor(x => x.Document.Clients)
            .Must(clients => clients!.Select(c => c.ClientId).Distinct(StringComparer.Ordinal).Count() == clients!.Count)
            .When(x => x.Document?.Clients is not null)
            .OverridePropertyName("clients")
            .WithMessage("Each client_id may appear only once.");
    }
}

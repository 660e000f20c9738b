using FluentValidation;

namespace AuthService.Application.Federation.Common;

/// <summary>An admin request that carries a provider's declared settings.</summary>
public interface IExternalProviderRequest
{
    ExternalProviderMetadata? Metadata { get; }
}

/// <summary>
/// The admin API's checks before the aggregate's: a body at all, then <see cref="ExternalProviderMetadataValidator"/>'s
/// rules reported under the body's member names (<c>client_secret</c>, not <c>Metadata.client_secret</c>).
/// </summary>
public sealed class ExternalProviderRequestRules<T> : AbstractValidator<T>
    where T : IExternalProviderRequest
{
    private static readonly ExternalProviderMetadataValidator Members = new();

    public ExternalProviderRequestRules()
    {
        RuleFor(x => x.Metadata).NotNull().OverridePropertyName("body").WithMessage("A JSON object of provider settings is required.");
        RuleFor(x => x.Metadata!).Custom((metadata, context) =>
        {
            foreach (var failure in Members.Validate(metadata).Errors)
            {
                context.AddFailure(failure);
            }
        }).When(x => x.Metadata is not null);
    }
}

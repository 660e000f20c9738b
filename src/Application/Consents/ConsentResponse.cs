using System.Text.Json.Serialization;
using AuthService.Domain.Consents;
using FluentValidation;

namespace AuthService.Application.Consents;

/// <summary>A user's consent to a client as the admin API shows it. <see cref="Version"/> is the ETag.</summary>
public sealed record ConsentResponse(Guid UserId, string ClientId, IReadOnlyList<string> Scopes, DateTimeOffset GrantedAt, DateTimeOffset UpdatedAt)
{
    [JsonIgnore]
    public int Version { get; init; }

    public static ConsentResponse From(Consent consent) =>
        new(consent.UserId, consent.ClientId, [.. consent.Scopes], consent.GrantedAt, consent.UpdatedAt) { Version = consent.Version };
}

/// <summary>The admin API's rules for the identifiers of a consent: a user id is a UUID, a client id at most 200 characters.</summary>
public static class ConsentIdRules
{
    public const int MaxClientIdLength = 200;

    public static bool IsUserId(string? value) => Guid.TryParse(value, out var id) && id != Guid.Empty;

    public static IRuleBuilderOptions<T, string?> MustBeUserId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || IsUserId(value)).OverridePropertyName("user_id").WithMessage("user_id must be a user id (a UUID).");

    public static IRuleBuilderOptions<T, string?> MustBeClientId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || (value.Length is > 0 and <= MaxClientIdLength))
            .OverridePropertyName("client_id")
            .WithMessage($"client_id must be 1 to {MaxClientIdLength} characters.");
}

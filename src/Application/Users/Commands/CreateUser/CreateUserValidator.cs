using AuthService.Application.Common.Security;
using AuthService.Domain.Users;
using FluentValidation;

namespace AuthService.Application.Users.Commands.CreateUser;

/// <summary>
/// Input shape and the password policy (ASVS 6.2). The profile rules (e-mail form, control characters)
/// are the aggregate's, reported as 400s naming the field all the same.
/// </summary>
public sealed class CreateUserValidator : AbstractValidator<CreateUser>
{
    public CreateUserValidator()
    {
        RuleFor(c => c.Username).NotEmpty().WithMessage("username is required.")
            .MaximumLength(User.MaxUsernameLength).WithMessage($"username must be at most {User.MaxUsernameLength} characters.")
            .OverridePropertyName("username");
        RuleFor(c => c.Email).MaximumLength(User.MaxEmailLength).WithMessage($"email must be at most {User.MaxEmailLength} characters.")
            .OverridePropertyName("email");
        RuleFor(c => c.Name).MaximumLength(User.MaxNameLength).WithMessage($"name must be at most {User.MaxNameLength} characters.")
            .OverridePropertyName("name");
        RuleFor(c => c.Password).SetPasswordPolicy().When(c => c.Password is not null);
    }
}

internal static class PasswordRules
{
    /// <summary>The password policy as a rule on the <c>password</c> field; the message never echoes the value.</summary>
    public static IRuleBuilderOptionsConditions<T, string?> SetPasswordPolicy<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Custom((password, context) =>
        {
            if (PasswordPolicy.Validate(password) is { } problem)
            {
                context.AddFailure("password", problem);
            }
        });
}

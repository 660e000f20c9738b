using AuthService.Application.Common.Security;
using AuthService.Domain.Common;
using AuthService.Domain.Users;

namespace AuthService.Application.SelfRegistration;

/// <summary>
/// The rules of a new account's form (docs/adr/0036), shared by self-registration and by registering through a tenant
/// invitation (docs/adr/0038), so that both hold people to the same profile and password rules in the same order: the
/// aggregate's profile rules, the two passwords equal, then <see cref="PasswordPolicy"/>.
/// </summary>
public static class NewAccountForm
{
    public const string UsernameTaken = "This username is taken: choose another.";

    /// <summary>The profile the form describes, or the message the form is shown again with (nothing is written).</summary>
    public static (UserProfile? Profile, string? Refusal) Check(string? username, string? email, bool emailVerified, string? name, string? password,
        string? confirmPassword)
    {
        var trimmedUsername = username?.Trim() ?? "";
        var trimmedEmail = email?.Trim() ?? "";
        if (trimmedUsername.Length == 0 || trimmedEmail.Length == 0)
        {
            return (null, "Choose a username and enter your e-mail address.");
        }

        var profile = new UserProfile(trimmedUsername, trimmedEmail, emailVerified, string.IsNullOrWhiteSpace(name) ? null : name.Trim());
        try
        {
            User.ValidateUsername(profile.Username);
            User.ValidateProfile(profile);
        }
        catch (DomainRuleViolationException violation)
        {
            return (null, violation.Message);
        }

        if (!string.Equals(password, confirmPassword, StringComparison.Ordinal))
        {
            return (null, "The two passwords are not the same.");
        }

        return PasswordPolicy.Validate(password) is { } refusal ? (null, "The " + refusal) : (profile, null);
    }
}

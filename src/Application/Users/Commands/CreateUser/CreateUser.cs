using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Users.Commands.CreateUser;

/// <summary>
/// Creates a user, with an initial password or none (then the user exists but cannot sign in until a
/// password is set). Usernames and e-mail addresses are unique in normalized form.
/// </summary>
public sealed record CreateUser(string? Username, string? Email, bool? EmailVerified, string? Name, string? Password) : IRequest<UserResult>
{
    /// <summary>Never the password (a command may end up in a log or an exception message).</summary>
    public override string ToString() =>
        $"CreateUser {{ Username = {Username}, Email = {Email}, EmailVerified = {EmailVerified}, Name = {Name}, Password = {(Password is null ? "(none)" : "(redacted)")} }}";
}

public sealed class CreateUserHandler(IUserRepository users, IPasswordHasher hasher, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<CreateUser, UserResult>
{
    public async Task<UserResult> Handle(CreateUser request, CancellationToken cancellationToken)
    {
        // Every rule and the uniqueness check before the deliberately slow hash.
        var profile = new UserProfile(request.Username!, request.Email, request.EmailVerified ?? false, request.Name);
        User.ValidateUsername(profile.Username);
        User.ValidateProfile(profile);
        await users.EnsureUniqueAsync(profile.Username, profile.Email, self: null, cancellationToken);

        var hash = request.Password is null ? null : hasher.Hash(request.Password);
        var now = clock.GetUtcNow();
        var user = User.Register(Guid.NewGuid(), profile, hash, SecurityStamp.New(), now);
        users.Add(user);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return UserResult.From(user, now);
    }
}

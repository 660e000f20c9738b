using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Users.Commands.UpdateUser;

/// <summary>
/// Replaces the profile fields (PUT): <c>email</c>, <c>email_verified</c>, <c>name</c>; an absent field is
/// cleared. The username cannot change: given, it must be the current one.
/// </summary>
public sealed record UpdateUser(Guid Id, string? Username, string? Email, bool? EmailVerified, string? Name, int? ExpectedVersion = null) : IRequest<UserResult>;

public sealed class UpdateUserValidator : AbstractValidator<UpdateUser>
{
    public UpdateUserValidator()
    {
        RuleFor(c => c.Email).MaximumLength(User.MaxEmailLength).WithMessage($"email must be at most {User.MaxEmailLength} characters.")
            .OverridePropertyName("email");
        RuleFor(c => c.Name).MaximumLength(User.MaxNameLength).WithMessage($"name must be at most {User.MaxNameLength} characters.")
            .OverridePropertyName("name");
    }
}

public sealed class UpdateUserHandler(IUserRepository users, IUnitOfWork unitOfWork, TimeProvider clock) : IRequestHandler<UpdateUser, UserResult>
{
    public async Task<UserResult> Handle(UpdateUser request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.Id, cancellationToken);
        Concurrency.Check(user.Version, request.ExpectedVersion);
        var profile = new UserProfile(request.Username ?? user.Username, request.Email, request.EmailVerified ?? false, request.Name);
        User.ValidateProfile(profile);
        await users.EnsureUniqueAsync(username: null, profile.Email, user.Id, cancellationToken);

        var now = clock.GetUtcNow();
        if (user.UpdateProfile(profile, now))
        {
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        }

        return UserResult.From(user, now);
    }
}

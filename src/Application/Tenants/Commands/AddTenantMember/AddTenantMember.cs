using AuthService.Application.Common.Exceptions;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants;
using AuthService.Domain.Users;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Tenants.Commands.AddTenantMember;

/// <summary>
/// Adds an existing user to a tenant with roles (docs/adr/0038): 404 for an unknown tenant, 400 naming <c>user_id</c> for an
/// unknown user or one whose verified address is not at the tenant's allowed e-mail domains, 409 when they are a member already (the unique (tenant, user) index is the last word in a race).
/// </summary>
public sealed record AddTenantMember(Guid TenantId, TenantMemberBody? Body, TenantCaller Caller) : IRequest<TenantMemberResult>;

public sealed class AddTenantMemberValidator : AbstractValidator<AddTenantMember>
{
    public AddTenantMemberValidator()
    {
        RuleFor(x => x.Body).NotNull().OverridePropertyName("body").WithMessage("A JSON object with user_id and roles is required.");
        RuleFor(x => x.Body!.UserId).NotEmpty().When(x => x.Body is not null).OverridePropertyName("user_id").WithMessage("user_id is required.");
    }
}

public sealed class AddTenantMemberHandler(
    TenantAdministration administration, ITenantMembershipRepository memberships, IUserRepository users, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<AddTenantMember, TenantMemberResult>
{
    public async Task<TenantMemberResult> Handle(AddTenantMember request, CancellationToken cancellationToken)
    {
        var body = request.Body!;
        var userId = body.UserId!.Value;
        var (tenant, actor) = await administration.OpenAsync(request.TenantId, request.Caller, cancellationToken);
        var membership = TenantMembership.Add(Guid.NewGuid(), tenant, userId, body.Roles, actor, TenantMembership.AddedByAdmin, clock.GetUtcNow());
        var user = await users.FindByIdAsync(userId, cancellationToken) ?? throw RequestValidationException.For("user_id", "No user has this id.");

        // The same rule as accepting an invitation, for the platform too (it changes the policy if it means otherwise): with
        // allowed e-mail domains, only a verified address at one of them joins.
        if (!tenant.Policy.Admits(user))
        {
            throw RequestValidationException.For("user_id", "The tenant admits only people with a verified address at its allowed e-mail domains.");
        }

        if (await memberships.FindAsync(tenant.Id, userId, cancellationToken) is not null)
        {
            throw new StateConflictException("The user is a member of this tenant already; change their roles instead.");
        }

        memberships.Add(membership);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new TenantMemberResult(TenantMemberResponse.From(membership), membership.Version);
    }
}

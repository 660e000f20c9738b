using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Consents;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Consents.Queries.GetConsent;

public sealed record GetConsent(string UserId, string ClientId) : IRequest<ConsentResponse>;

public sealed class GetConsentValidator : AbstractValidator<GetConsent>
{
    public GetConsentValidator()
    {
        RuleFor(q => q.UserId).MustBeUserId();
        RuleFor(q => q.ClientId).MustBeClientId();
    }
}

public sealed class GetConsentHandler(IConsentRepository consents) : IRequestHandler<GetConsent, ConsentResponse>
{
    public async Task<ConsentResponse> Handle(GetConsent request, CancellationToken cancellationToken) =>
        ConsentResponse.From(await consents.FindAsync(Guid.Parse(request.UserId), request.ClientId, cancellationToken)
            ?? throw new NotFoundException("Consent", $"{request.UserId}/{request.ClientId}"));
}

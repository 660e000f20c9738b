using MediatR;

namespace AuthService.Application.SignIn.Queries.ViewSecondFactorOffer;

/// <summary>Which second factors the second-step page offers for the pending sign-in of <paramref name="PendingHandle"/>: a code form, a passkey, or both.</summary>
public sealed record ViewSecondFactorOffer(string? PendingHandle) : IRequest<SecondFactorOffer>
{
    public override string ToString() => "ViewSecondFactorOffer { (handle redacted) }";
}

public sealed class ViewSecondFactorOfferHandler(SecondFactorStep step) : IRequestHandler<ViewSecondFactorOffer, SecondFactorOffer>
{
    public Task<SecondFactorOffer> Handle(ViewSecondFactorOffer request, CancellationToken cancellationToken) =>
        step.OfferForPendingAsync(request.PendingHandle, cancellationToken);
}

using MediatR;

namespace AuthService.Application.Federation.Queries.ViewLinkProof;

/// <summary>The proof page of the round trip <paramref name="SignInId"/>, shown again in the browser with the <paramref name="Binding"/> cookie.</summary>
public sealed record ViewLinkProof(Guid SignInId, string? Binding) : IRequest<ExternalSignInOutcome>
{
    public override string ToString() => $"ViewLinkProof {{ SignInId = {SignInId} }}";
}

/// <summary>
/// The page as the callback showed it (what it offers included, docs/adr/0037 "Proof by a linked provider or a passkey"),
/// while the round trip awaits proof in this browser; the "not valid" page otherwise. Changes nothing.
/// </summary>
public sealed class ViewLinkProofHandler(LinkProof proofs) : IRequestHandler<ViewLinkProof, ExternalSignInOutcome>
{
    public async Task<ExternalSignInOutcome> Handle(ViewLinkProof request, CancellationToken cancellationToken) =>
        await proofs.FindAsync(request.SignInId, request.Binding, cancellationToken) is { } proof
            ? await proofs.PageAsync(proof.SignIn, proof.Provider.DisplayName, ProofFailure.None, null, cancellationToken)
            : new ExternalSignInOutcome.ErrorPage(FederationFailure.RoundTripInvalid);
}

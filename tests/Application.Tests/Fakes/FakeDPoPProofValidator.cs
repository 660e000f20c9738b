using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Tokens.Common;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Tests.Fakes;

/// <summary>
/// Stands in for the proof checks (those are tested against real proofs in the integration tests): a proof
/// <c>"key:{jkt}"</c> is valid for that key; anything else is <c>invalid_dpop_proof</c>. Records what it was asked.
/// </summary>
internal sealed class FakeDPoPProofValidator : IDPoPProofValidator
{
    public const string KeyPrefix = "key:";

    public List<(DPoPPresentation Presentation, string? AccessToken, bool RequireNonce)> Calls { get; } = [];

    public static DPoPPresentation ProofBy(string jkt, string method = "POST", string target = "https://issuer.test/connect/token") =>
        new([KeyPrefix + jkt], method, target);

    public static SenderConstraint SenderConstraint(FakeDPoPProofValidator? validator = null) =>
        new(validator ?? new FakeDPoPProofValidator(), Options.Create(new DPoPOptions()));

    public ValueTask<ProtocolResult<DPoPProof>> ValidateAsync(DPoPPresentation presentation, string? accessToken, bool requireNonce, CancellationToken cancellationToken)
    {
        Calls.Add((presentation, accessToken, requireNonce));
        return ValueTask.FromResult(presentation.Proofs is [var proof] && proof.StartsWith(KeyPrefix, StringComparison.Ordinal)
            ? ProtocolResult<DPoPProof>.Success(new DPoPProof(proof[KeyPrefix.Length..]))
            : OAuthError.InvalidDPoPProof);
    }
}

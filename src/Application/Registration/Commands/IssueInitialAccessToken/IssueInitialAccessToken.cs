using AuthService.Application.Audit;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Registration.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Registration;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Registration.Commands.IssueInitialAccessToken;

/// <summary>
/// Issues an initial access token for the registration endpoint (RFC 7591 §3, policy <c>initial_access_token</c>):
/// 256 random bits, returned once, stored as a SHA-256 hash; valid for <paramref name="ExpiresIn"/> seconds
/// (default 1 day) and <paramref name="MaxUses"/> registrations (unlimited when null).
/// </summary>
public sealed record IssueInitialAccessToken(int? ExpiresIn, int? MaxUses) : IRequest<IssuedInitialAccessTokenResponse>;

public sealed class IssueInitialAccessTokenValidator : AbstractValidator<IssueInitialAccessToken>
{
    public IssueInitialAccessTokenValidator()
    {
        RuleFor(x => x.ExpiresIn).InclusiveBetween(60, (int)InitialAccessToken.MaxLifetime.TotalSeconds).When(x => x.ExpiresIn is not null)
            .OverridePropertyName("expires_in").WithMessage($"expires_in must be between 60 and {(int)InitialAccessToken.MaxLifetime.TotalSeconds} seconds.");
        RuleFor(x => x.MaxUses).InclusiveBetween(1, 1_000_000).When(x => x.MaxUses is not null)
            .OverridePropertyName("max_uses").WithMessage("max_uses must be between 1 and 1000000.");
    }
}

public sealed class IssueInitialAccessTokenHandler(IInitialAccessTokenRepository tokens, IUnitOfWork unitOfWork, IAuditTrail audit, TimeProvider clock)
    : IRequestHandler<IssueInitialAccessToken, IssuedInitialAccessTokenResponse>
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(1);

    public async Task<IssuedInitialAccessTokenResponse> Handle(IssueInitialAccessToken request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var value = OpaqueToken.New();
        var expiresAt = now + (request.ExpiresIn is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultLifetime);
        var token = InitialAccessToken.Issue(OpaqueToken.HashOf(value), expiresAt, request.MaxUses, now);
        tokens.Add(token);
        audit.Record(new AuditRecord("initial_access_token.issued", "initial_access_token", token.Id.ToString(),
            Details: new Dictionary<string, string?> { ["expires_at"] = expiresAt.ToString("O"), ["max_uses"] = request.MaxUses?.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new IssuedInitialAccessTokenResponse(InitialAccessTokenResponse.From(token, now), value);
    }
}

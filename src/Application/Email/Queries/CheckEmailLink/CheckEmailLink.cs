using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Email.Queries.CheckEmailLink;

/// <summary>Whether a link's token may be used for <paramref name="Purpose"/>, without using it up (the GET of its page).</summary>
public sealed record CheckEmailLink(string? Token, EmailTokenPurpose Purpose) : IRequest<EmailLinkOutcome>
{
    /// <summary>Never the token.</summary>
    public override string ToString() => $"CheckEmailLink {{ Purpose = {Purpose}, Token = (redacted) }}";
}

/// <summary>
/// A GET must not change anything: mail scanners and link previews fetch links before the person does, so the link's page
/// only checks the token and shows a form whose POST uses it up.
/// </summary>
public sealed class CheckEmailLinkHandler(EmailTokenLookup lookup, TimeProvider clock) : IRequestHandler<CheckEmailLink, EmailLinkOutcome>
{
    public async Task<EmailLinkOutcome> Handle(CheckEmailLink request, CancellationToken cancellationToken)
    {
        if (await lookup.FindAsync(request.Token, cancellationToken) is not { } found)
        {
            return EmailLinkOutcome.Unknown;
        }

        var use = found.Token.Check(request.Purpose, found.User, clock.GetUtcNow());
        return use == EmailTokenUse.Usable ? EmailLinkOutcome.Ready : new EmailLinkOutcome.Refused(use);
    }
}

/// <summary>A stored token found by the hash of the presented value, with its user (null when the user is gone).</summary>
public sealed record FoundEmailToken(EmailToken Token, User? User);

/// <summary>Looks a presented token up by its SHA-256 hash (the value itself is never stored or compared).</summary>
public sealed class EmailTokenLookup(IEmailTokenRepository tokens, IUserRepository users)
{
    public async Task<FoundEmailToken?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        // 32 random bytes in base64url are 43 characters; anything else cannot be one of ours.
        if (token is not { Length: OpaqueToken.HashLength } || await tokens.FindByHashAsync(OpaqueToken.HashOf(token), cancellationToken) is not { } stored)
        {
            return null;
        }

        return new FoundEmailToken(stored, await users.FindByIdAsync(stored.UserId, cancellationToken));
    }
}

using AuthService.Domain.Common;
using AuthService.Domain.Federation.Events;

namespace AuthService.Domain.Federation;

/// <summary>
/// A local account's link to a person at an upstream provider. The key is the provider and the upstream's subject (OIDC
/// Core §5.7: <c>sub</c> with <c>iss</c> is the only stable identifier), never the e-mail address, which the upstream may let
/// its users change or never verify (docs/adr/0037 "Accounts"). A pair is linked to at most one account (a unique index
/// backs it); an account may have several links, to several providers.
/// </summary>
public sealed class ExternalIdentity : AggregateRoot
{
    /// <summary>The upstream subject: OIDC Core §2 says at most 255 ASCII characters.</summary>
    public const int MaxSubjectLength = 255;

    /// <summary>Unlink reasons, for the audit log.</summary>
    public const string UnlinkedBySelf = "self";

    public const string UnlinkedByAdministrator = "admin";

    private ExternalIdentity()
    {
        Subject = null!;
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public Guid ProviderId { get; private set; }

    public string Subject { get; private set; }

    /// <summary>The address the upstream gave at the last sign-in (shown to the person; never a key).</summary>
    public string? Email { get; private set; }

    public DateTimeOffset LinkedAt { get; private set; }

    public DateTimeOffset? LastSignInAt { get; private set; }

    /// <summary><paramref name="how"/>: provisioned (a new account) or linked (to an existing one), for the audit log.</summary>
    public static ExternalIdentity Link(Guid id, Guid userId, Guid providerId, string subject, string? email, string how, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(id == Guid.Empty || userId == Guid.Empty || providerId == Guid.Empty, "id", "A link names itself, its account and its provider.");
        Guard.Against(!IsValidSubject(subject), "subject", $"An upstream subject is 1 to {MaxSubjectLength} printable characters.");
        var identity = new ExternalIdentity
        {
            Id = id,
            UserId = userId,
            ProviderId = providerId,
            Subject = subject,
            Email = EmailOf(email),
            LinkedAt = now,
            LastSignInAt = now,
        };
        identity.Raise(new ExternalIdentityLinked(id, userId, providerId, how, now));
        return identity;
    }

    public static bool IsValidSubject(string? subject) =>
        subject is { Length: > 0 and <= MaxSubjectLength } && !subject.Any(char.IsControl);

    /// <summary>A sign-in through the link: remembers when and the address the upstream gave this time.</summary>
    public void RecordSignIn(string? email, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Email = EmailOf(email);
        LastSignInAt = now;
    }

    /// <summary>Marks the link for removal (the caller removes it in the same save), with why, for the audit log.</summary>
    public void Unlink(string reason, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Raise(new ExternalIdentityUnlinked(Id, UserId, ProviderId, reason, now));
    }

    private static string? EmailOf(string? email) =>
        email is { Length: > 0 and <= Users.User.MaxEmailLength } && !email.Any(char.IsControl) ? email : null;
}

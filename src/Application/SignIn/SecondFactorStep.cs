using AuthService.Domain.Common;
using AuthService.Domain.SecondFactors;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;

namespace AuthService.Application.SignIn;

/// <summary>
/// When a sign-in needs its second step, and starting that step: a <see cref="PendingSignIn"/> bound to the user and
/// the security stamp, whose random handle goes to the browser and only its SHA-256 to the database. The caller saves.
/// </summary>
public sealed class SecondFactorStep(ISecondFactorEnrolmentRepository enrolments, IPendingSignInRepository pendingSignIns)
{
    /// <summary>Whether the user has a confirmed second factor (an authenticator app).</summary>
    public async Task<bool> IsRequiredForAsync(Guid userId, CancellationToken cancellationToken) =>
        await enrolments.FindByUserIdAsync(userId, cancellationToken) is { IsActive: true };

    /// <summary>
    /// Adds a pending sign-in of <paramref name="user"/> after the first factor whose <c>amr</c> values are
    /// <paramref name="firstFactor"/> (a step-up of <paramref name="sessionId"/> when given); returns its handle.
    /// </summary>
    public string Begin(User user, string? clientId, DateTimeOffset now, IReadOnlyList<string> firstFactor, Guid? sessionId = null)
    {
        var handle = OpaqueToken.New();
        pendingSignIns.Add(PendingSignIn.Begin(Guid.NewGuid(), OpaqueToken.HashOf(handle), user.Id, user.SecurityStamp, clientId, firstFactor, now, sessionId));
        return handle;
    }

    /// <summary>
    /// Adds the pending step-up of <paramref name="session"/> (the authorization endpoint's and the device page's): the
    /// session's own first factor (pwd or email) is the pending sign-in's; a session from before amr was recorded signed
    /// in with the password. Returns its handle.
    /// </summary>
    public string BeginStepUp(User user, string? clientId, DateTimeOffset now, UserSession session) =>
        Begin(user, clientId, now, session.AuthenticationMethods is { Count: > 0 } methods ? methods : AuthenticationMethods.PasswordOnly, session.Id);
}

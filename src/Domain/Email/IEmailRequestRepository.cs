using AuthService.Domain.Common;

namespace AuthService.Domain.Email;

/// <summary>The outbox of links asked for by address (<see cref="IOutbox{TMessage}"/>), resolved by the e-mail request worker.</summary>
public interface IEmailRequestRepository : IOutbox<EmailRequest>;

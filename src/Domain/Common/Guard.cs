namespace AuthService.Domain.Common;

internal static class Guard
{
    public static void Against(bool condition, string field, string message)
    {
        if (condition)
        {
            throw new DomainRuleViolationException(field, message);
        }
    }

    public static void RequireUtc(DateTimeOffset value, string field) =>
        Against(value.Offset != TimeSpan.Zero, field, $"{field} must be a UTC timestamp.");
}

namespace AuthService.Infrastructure.Hosting;

/// <summary>
/// Whether the warm-up before readiness (docs/adr/0044) is over. <c>/readyz</c> answers 503 without running its health
/// checks until it is: a replica warming up is an expected state, not a failed check, so it writes no log entry per probe
/// (the health check service would write an unhealthy result at Error, one per probe).
/// </summary>
public interface IWarmUpState
{
    bool IsWarm { get; }
}

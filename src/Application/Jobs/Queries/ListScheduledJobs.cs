using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Paging;
using MediatR;

namespace AuthService.Application.Jobs.Queries;

/// <summary>A scheduled job for the admin API: its name, what it does, its last and next run, its interval in seconds.</summary>
public sealed record ScheduledJobResponse(string Name, string Description, DateTimeOffset? PreviousRunAt, DateTimeOffset? NextRunAt, double? IntervalSeconds);

/// <summary>The scheduled jobs (few, so one page).</summary>
public sealed record ListScheduledJobs : IRequest<Page<ScheduledJobResponse>>;

public sealed class ListScheduledJobsHandler(IScheduledJobs jobs) : IRequestHandler<ListScheduledJobs, Page<ScheduledJobResponse>>
{
    public async Task<Page<ScheduledJobResponse>> Handle(ListScheduledJobs request, CancellationToken cancellationToken) =>
        new([.. (await jobs.ListAsync(cancellationToken)).Select(job =>
            new ScheduledJobResponse(job.Name, job.Description, job.PreviousRunAt, job.NextRunAt, job.Interval?.TotalSeconds))], NextCursor: null);
}

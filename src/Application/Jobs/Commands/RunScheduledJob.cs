using AuthService.Application.Audit;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Common;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Jobs.Commands;

/// <summary>Runs a scheduled job once now, besides its schedule (e.g. a clean-up before a maintenance window).</summary>
public sealed record RunScheduledJob(string Name) : IRequest<Unit>;

public sealed class RunScheduledJobValidator : AbstractValidator<RunScheduledJob>
{
    public RunScheduledJobValidator() =>
        RuleFor(c => c.Name).NotEmpty().MaximumLength(100).OverridePropertyName("name");
}

/// <summary>
/// The jobs are idempotent and never run twice at once in the cluster (a distributed lock held for the
/// whole run, docs/adr/0015), so an extra run is always safe. The request is audited as <c>job.triggered</c>.
/// </summary>
public sealed class RunScheduledJobHandler(IScheduledJobs jobs, IAuditTrail audit, IUnitOfWork unitOfWork) : IRequestHandler<RunScheduledJob, Unit>
{
    public const string JobSubject = "job";

    public async Task<Unit> Handle(RunScheduledJob request, CancellationToken cancellationToken)
    {
        if (!await jobs.TriggerAsync(request.Name, cancellationToken))
        {
            throw new NotFoundException("Job", request.Name);
        }

        audit.Record(new AuditRecord("job.triggered", JobSubject, request.Name));
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}

using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Options;

namespace HmRec.Cli.Hosting;

/// <summary>
/// The Durable Task SDK's worker run on DTFx's <see cref="TaskHubWorker"/>: each orchestration and activity work
/// item of the hub is executed by the SDK's orchestrator or activity class, built by the registry's factory and
/// wrapped by the SDK's public shims, so the same classes run here and in the Functions app.
/// </summary>
internal sealed class TaskHubWorkerService : DurableTaskWorker
{
    private readonly IOrchestrationService service;
    private readonly DurableTaskShimFactory shims;
    private readonly IServiceProvider services;
    private readonly ILoggerFactory loggerFactory;
    private TaskHubWorker? worker;

    public TaskHubWorkerService(string name, IDurableTaskFactory factory, IOrchestrationService service, IOptionsMonitor<DurableTaskWorkerOptions> options,
        IServiceProvider services, ILoggerFactory loggerFactory)
        : base(name, factory)
    {
        this.service = service;
        this.services = services;
        this.loggerFactory = loggerFactory;
        shims = new DurableTaskShimFactory(options.Get(name), loggerFactory);
    }

    /// <summary>Called after each activity this worker ran, with its name, seconds and whether it threw.</summary>
    public Action<string, double, bool>? ActivityRan { get; set; }

    /// <summary>How long a stop waits for running work items before it abandons them to the visibility timeout.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        worker = new TaskHubWorker(service, new Orchestrations(this), new Activities(this), loggerFactory)
        {
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        worker.AddActivityDispatcherMiddleware(async (context, next) =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var failed = true;
            try
            {
                await next().ConfigureAwait(false);
                // An activity that threw has run to the end too: its failure is the response the dispatcher sends back.
                failed = context.GetProperty<DurableTask.Core.ActivityExecutionResult>()?.ResponseEvent is DurableTask.Core.History.TaskFailedEvent;
            }
            finally
            {
                if (ActivityRan is { } report && context.GetProperty<DurableTask.Core.History.TaskScheduledEvent>() is { Name: { } name })
                {
                    report(name, clock.Elapsed.TotalSeconds, failed);
                }
            }
        });
        await worker.StartAsync().ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (worker is { } w)
        {
            // A graceful stop waits for running work items; past the grace period they are left to the queue's
            // visibility timeout and run again on the next worker.
            var graceful = w.StopAsync(isForced: false);
            if (await Task.WhenAny(graceful, Task.Delay(StopGrace, CancellationToken.None)).ConfigureAwait(false) != graceful)
            {
                await w.StopAsync(isForced: true).ConfigureAwait(false);
            }
        }
    }

    private sealed class Orchestrations(TaskHubWorkerService owner) : INameVersionObjectManager<TaskOrchestration>
    {
        public void Add(ObjectCreator<TaskOrchestration> creator) => throw new NotSupportedException("Orchestrators come from the DurableTaskRegistry.");

        // An orchestration this worker does not know fails with a message that names it, rather than DTFx's endless
        // retry of a missing type.
        public TaskOrchestration GetObject(string name, string? version) =>
            owner.Factory.TryCreateOrchestrator(new TaskName(name), owner.services, out var orchestrator)
                ? owner.shims.CreateOrchestration(new TaskName(name), orchestrator)
                : owner.shims.CreateOrchestration<object?, object?>(new TaskName(name),
                    (_, _) => throw new InvalidOperationException($"No orchestrator named '{name}' is registered with this worker."));
    }

    private sealed class Activities(TaskHubWorkerService owner) : INameVersionObjectManager<TaskActivity>
    {
        public void Add(ObjectCreator<TaskActivity> creator) => throw new NotSupportedException("Activities come from the DurableTaskRegistry.");

        public TaskActivity? GetObject(string name, string? version) =>
            owner.Factory.TryCreateActivity(new TaskName(name), owner.services, out var activity)
                ? owner.shims.CreateActivity(new TaskName(name), activity)
                : null;
    }
}

namespace HmRec.Orchestrators.Pipeline;

/// <summary>
/// An orchestration's custom status (<see cref="PipelineStatus"/>) as it goes through its stages, with the progress its
/// activities raise (<see cref="ActivityProgress"/>) as the detail. One waiter for those events lives as long as the
/// orchestration, so none is left behind to swallow a later event; events from an activity of an earlier stage
/// (raised as it ended) are dropped.
/// </summary>
internal sealed class StageStatus(TaskOrchestrationContext context)
{
    private Task<ActivityProgress>? progress;
    private PipelineStatus status = new("", 0, 1);
    private HashSet<string> detailFrom = [];

    /// <summary>Logs each stage once, not again on every replay.</summary>
    private readonly ILogger logger = context.CreateReplaySafeLogger("HmRec.Orchestrators." + context.Name);

    /// <summary>Enters <paramref name="stage"/>; the detail shown comes from <paramref name="activities"/> only.</summary>
    public void Stage(string stage, int done, int total, params string[] activities)
    {
        if (stage != status.Stage)
        {
            PipelineLog.StageStarted(logger, context.InstanceId, stage, total);
        }
        detailFrom = [.. activities];
        Set(new PipelineStatus(stage, done, total));
    }

    /// <summary>How many of the stage's activities are done.</summary>
    public void Done(int done) => Set(status with { Done = done });

    /// <summary>
    /// The first of <paramref name="tasks"/> to complete, as <see cref="Task.WhenAny(IEnumerable{Task})"/>; progress
    /// events that arrive meanwhile update the detail.
    /// </summary>
    public async Task<Task> WhenAny(IEnumerable<Task> tasks)
    {
        List<Task> waiting = [.. tasks];
        while (true)
        {
            progress ??= context.WaitForExternalEvent<ActivityProgress>(ActivityProgress.EventName);
            var finished = await Task.WhenAny([.. waiting, progress]);
            if (finished != progress)
            {
                return finished;
            }
            var reported = progress.Result;
            progress = null;
            if (detailFrom.Contains(reported.Activity))
            {
                Set(status with { Detail = reported.Message });
            }
        }
    }

    /// <summary><paramref name="task"/>'s result, showing progress events as they arrive.</summary>
    public async Task<T> Await<T>(Task<T> task)
    {
        await WhenAny([task]);
        return await task;
    }

    private void Set(PipelineStatus next)
    {
        status = next;
        context.SetCustomStatus(status);
    }
}

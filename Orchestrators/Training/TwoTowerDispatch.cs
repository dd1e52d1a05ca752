namespace HmRec.Orchestrators.Training;

/// <summary>
/// Stage 4B inside the training orchestration: starts the two-tower worker, then waits durably for whichever
/// comes first, its completion event or a poll timer, and asks the status activity where the job stands.
/// A job that died is started again (up to <c>TwoTower.MaxAttempts</c> starts); a job that reports a
/// failure, or that is still running at the deadline (then it is stopped), fails the step with the reason.
/// </summary>
internal static class TwoTowerDispatch
{
    public static async Task<ModelSummary> RunAsync(TaskOrchestrationContext context, WeekTask request)
    {
        var options = request.Options.TwoTower;
        var deadline = context.CurrentUtcDateTime.AddMinutes(options.TimeoutMinutes);
        var poll = TimeSpan.FromSeconds(options.PollSeconds);
        for (var attempt = 1; ; attempt++)
        {
            var job = await context.CallAsync(TwoTowerActivities.StartDefinition, new TwoTowerStart(request.RunDirectory, request.Options, context.InstanceId, attempt));
            while (true)
            {
                var status = await context.CallAsync(TwoTowerActivities.StatusDefinition, job);
                switch (status.State)
                {
                    case TwoTowerState.Succeeded:
                        return status.Model! with { Skipped = job.AlreadyDone };
                    case TwoTowerState.Failed:
                        throw new InvalidOperationException(status.Message);
                    case TwoTowerState.Died when attempt >= options.MaxAttempts:
                        throw new InvalidOperationException($"{status.Message}. It was started {attempt} times (TwoTower.MaxAttempts); giving up.");
                    case TwoTowerState.Died:
                        break;
                    case TwoTowerState.Running when context.CurrentUtcDateTime >= deadline:
                        await context.CallAsync(TwoTowerActivities.StopDefinition, job);
                        throw new TimeoutException($"The two-tower job did not finish within {options.TimeoutMinutes} minutes (TwoTower.TimeoutMinutes); it was stopped. Log: {job.LogPath}");
                    default:
                        var wait = deadline - context.CurrentUtcDateTime;
                        try
                        {
                            await context.WaitForExternalEvent<TwoTowerFinished>(TwoTowerFinished.EventName, wait < poll ? wait : poll);
                        }
                        catch (OperationCanceledException)
                        {
                            // No event before the poll: ask the status activity anyway (the host that
                            // started the worker may have restarted and lost its watch).
                        }
                        continue;
                }
                break; // died: start again
            }
        }
    }
}

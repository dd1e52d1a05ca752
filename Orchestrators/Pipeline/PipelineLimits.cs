namespace HmRec.Orchestrators.Pipeline;

/// <summary>The checks of <see cref="HostLimits"/> that both hosts make before they start a run, and the orchestration makes before its recall.</summary>
public static class PipelineLimits
{
    /// <summary>The weeks a run recalls for: its training weeks, the validation week and the week after the data.</summary>
    public static int Weeks(PipelineOptions options) => options.Ingest.TrainingWeeks + 2;

    /// <summary>
    /// Fails, naming the setting, when <paramref name="shards"/> (each week's shard count) would make the run schedule more
    /// recall activities (shards x strategies) than <paramref name="max"/>.
    /// </summary>
    public static void CheckActivities(IEnumerable<int> shards, int max)
    {
        var perWeek = shards.ToList();
        var activities = (long)perWeek.Sum() * RecallStrategies.All.Count;
        if (activities > max)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The run would schedule {activities:N0} recall activities ({string.Join(" + ", perWeek.Distinct().Count() == 1 ? [$"{perWeek[0]} shards x {perWeek.Count} weeks"] : perWeek.Select(s => $"{s}"))} x {RecallStrategies.All.Count} strategies), over the limit {HostLimits.MaxActivitiesPerRunSetting} = {max:N0}: set fewer Shards or more UsersPerShard."));
        }
    }

    /// <summary>Before a start: the activity limit for a fixed shard count (automatic shards are checked by the run once it knows its users).</summary>
    public static void CheckActivities(PipelineOptions options, int max)
    {
        if (options.Shards is { } shards)
        {
            CheckActivities(Enumerable.Repeat(shards, Weeks(options)), max);
        }
    }

    /// <summary>A refusal naming the setting when <paramref name="max"/> pipelines are already pending, running or suspended; else null.</summary>
    public static async Task<string?> RunsInProgressRefusalAsync(DurableTaskClient client, int max, CancellationToken cancellationToken)
    {
        var live = 0;
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended],
            PageSize = 100,
        };
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (instance.Name == PipelineOrchestrator.Name && ++live >= max)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"{live} runs are in progress, the limit {HostLimits.MaxRunsInProgressSetting} = {max}: start again when one has ended (or terminate one).");
            }
        }
        return null;
    }
}

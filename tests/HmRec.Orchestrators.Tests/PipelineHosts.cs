namespace HmRec.Orchestrators.Tests;

/// <summary>A host on a new task hub whose worker runs the pipeline, as the integration tests here open it.</summary>
internal static class PipelineHosts
{
    /// <summary>An orchestration that runs the two-tower dispatch alone on one week (a <see cref="WeekTask"/>).</summary>
    public const string TwoTowerOnly = "TwoTowerOnly";

    /// <summary>
    /// Opens a new hub on <paramref name="hub"/>'s Azurite with a worker that runs the pipeline's orchestrators and
    /// activities (by default the host's client is theirs) and <see cref="TwoTowerOnly"/>.
    /// </summary>
    public static async Task<DurableHost> OpenPipelineAsync(this TaskHubFixture hub, Func<DurableHost, PipelineActivities>? activities = null,
        Func<DurableTaskOptions, DurableTaskOptions>? configure = null)
    {
        var host = await hub.OpenAsync(configure: configure);
        await host.StartWorkerAsync(r => PipelineRegistry.Register(r, activities?.Invoke(host) ?? new PipelineActivities(client: host.Client))
            .AddOrchestratorFunc<WeekTask, ModelSummary>(TwoTowerOnly, TwoTowerDispatch.RunAsync));
        return host;
    }
}

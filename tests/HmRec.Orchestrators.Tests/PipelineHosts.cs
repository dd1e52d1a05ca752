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

/// <summary>
/// Tests that each run on a host of their own (a new task hub on the class's Azurite, with a pipeline worker) and in a
/// temp folder of their own, both gone after the test.
/// </summary>
public abstract class PipelineHostTests(TaskHubFixture hub, string name) : IClassFixture<TaskHubFixture>, IAsyncLifetime
{
    private protected TaskHubFixture Hub => hub;

    protected TempFolder Work { get; } = new(name);

    private protected DurableHost Host { get; private set; } = null!;

    private protected TaskHubDurableClient Client => Host.Client;

    /// <summary>What the tests need before the host opens (data in <see cref="Work"/>); nothing by default.</summary>
    protected virtual void Prepare()
    {
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Work);
        Prepare();
        Host = await hub.OpenPipelineAsync();
    }

    /// <summary>What is left to stop once the host is closed, before the folder goes; nothing by default.</summary>
    protected virtual void Closed()
    {
    }

    public async Task DisposeAsync()
    {
        await Host.CloseAsync();
        Closed();
        Work.Dispose();
    }
}

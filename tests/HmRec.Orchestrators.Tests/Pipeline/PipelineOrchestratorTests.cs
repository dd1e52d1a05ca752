using HmRec.Activities.Ingest;
using HmRec.Durable.Client;
using HmRec.Durable.History;
using HmRec.Durable.Model;
using HmRec.Durable.Runtime;
using HmRec.Durable.Stores.Sqlite;
using HmRec.Orchestrators.Pipeline;
using HmRec.Shared.Data;
using HmRec.Shared.Options;
using HmRec.Shared.Synthetic;

namespace HmRec.Orchestrators.Tests.Pipeline;

public sealed class PipelineOrchestratorTests : IAsyncLifetime
{
    private readonly string work = Path.Combine(Path.GetTempPath(), $"hmrec-pipeline-{Guid.NewGuid():N}");
    private SqliteDurableStore store = null!;
    private DurableWorker worker = null!;
    private DurableTaskClient client = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(work);
        SyntheticDataGenerator.Generate(new SyntheticOptions(1_000, 400, Seed: 5), Path.Combine(work, "data"));
        store = new SqliteDurableStore(Path.Combine(work, "taskhub.db"));
        client = new DurableTaskClient(store);
        worker = new DurableWorker(PipelineRegistry.Register(new DurableTaskRegistry()), store, new DurableWorkerOptions { MaxPollInterval = TimeSpan.FromMilliseconds(20) });
        await worker.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await worker.DisposeAsync();
        store.Dispose();
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task Pipeline_GeneratedData_IngestsThroughTheEngine_AndARerunSkipsFinishedWork()
    {
        var request = new PipelineRequest("run-a", IngestInputs.FromDirectory(Path.Combine(work, "data")), Path.Combine(work, "runs", "run-a"), new PipelineOptions());
        await client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, request, new StartOrchestrationOptions("run-a"));
        var done = await Wait("run-a");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<PipelineResult>()!;
        Assert.Equal("run-a", result.RunId);
        Assert.Equal(1_000, result.Ingest.CustomersInFile);
        Assert.Equal(new PipelineStatus("done", 1, 1), done.ReadCustomStatusAs<PipelineStatus>());
        var parquet = Path.Combine(work, "runs", "run-a", "ingest", "transactions.parquet");
        var written = File.GetLastWriteTimeUtc(parquet);

        // The same run again (as after a crash between stages): the ingest output exists and is reused.
        await client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, request, new StartOrchestrationOptions("run-a"));
        var again = await Wait("run-a");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, again.RuntimeStatus);
        Assert.Equal(result.Ingest.RowsKept, again.ReadOutputAs<PipelineResult>()!.Ingest.RowsKept);
        Assert.Equal(written, File.GetLastWriteTimeUtc(parquet));
    }

    [Fact]
    public async Task Pipeline_BadInput_FailsOnceWithTheFileLineAndColumn_WithoutRetrying()
    {
        var data = Path.Combine(work, "bad");
        Directory.CreateDirectory(data);
        foreach (var file in Directory.GetFiles(Path.Combine(work, "data")))
        {
            File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
        }
        var path = Path.Combine(data, HmSchema.TransactionsFile);
        var lines = File.ReadAllLines(path);
        lines[42] = "2020-02-30" + lines[42][10..];
        File.WriteAllLines(path, lines);

        var request = new PipelineRequest("run-bad", IngestInputs.FromDirectory(data), Path.Combine(work, "runs", "run-bad"), new PipelineOptions());
        await client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, request, new StartOrchestrationOptions("run-bad"));
        var done = await Wait("run-bad");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        var root = done.FailureDetails!.Root;
        Assert.Equal(typeof(InputDataException).FullName, root.ErrorType);
        Assert.Contains("line 43, column 't_dat'", root.ErrorMessage);
        var history = (await client.GetInstanceAsync("run-bad", getHistory: true))!.History!;
        Assert.Single(history.OfType<TaskScheduledEvent>());
        Assert.False(Directory.Exists(Path.Combine(work, "runs", "run-bad", "ingest")));
    }

    private async Task<OrchestrationMetadata> Wait(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await client.WaitForInstanceCompletionAsync(id, timeout.Token);
    }
}

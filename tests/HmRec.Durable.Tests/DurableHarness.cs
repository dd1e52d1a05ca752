using HmRec.Durable.Client;
using HmRec.Durable.Model;
using HmRec.Durable.Runtime;
using HmRec.Durable.Stores.Sqlite;

namespace HmRec.Durable.Tests;

/// <summary>A real SQLite task hub in a temp folder, a worker on a fake clock, and a client.</summary>
public sealed class DurableHarness : IAsyncDisposable
{
    private readonly List<DurableWorker> workers = [];

    public DurableHarness(DurableWorkerOptions? options = null, string? directory = null)
    {
        Directory = directory ?? Path.Combine(Path.GetTempPath(), $"hmrec-durable-{Guid.NewGuid():N}");
        Options = (options ?? new DurableWorkerOptions()) with { MaxPollInterval = TimeSpan.FromMilliseconds(20) };
        Store = new SqliteDurableStore(Path.Combine(Directory, "taskhub.db"), Clock);
        Client = new DurableTaskClient(Store, Clock);
    }

    public string Directory { get; }

    public FakeClock Clock { get; } = new();

    public DurableTaskRegistry Registry { get; } = new();

    public DurableWorkerOptions Options { get; }

    public SqliteDurableStore Store { get; }

    public DurableTaskClient Client { get; }

    public async Task<DurableWorker> StartWorkerAsync(DurableTaskRegistry? registry = null, DurableWorkerOptions? options = null)
    {
        var worker = new DurableWorker(registry ?? Registry, Store, options ?? Options, Clock);
        await worker.StartAsync();
        workers.Add(worker);
        return worker;
    }

    /// <summary>Waits for the instance to finish, moving the fake clock by <paramref name="step"/> each round when given.</summary>
    public async Task<OrchestrationMetadata> WaitAsync(string instanceId, TimeSpan? step = null, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            var state = await Client.GetInstanceAsync(instanceId);
            if (state is { IsCompleted: true })
            {
                return state;
            }
            if (step is { } s)
            {
                Clock.Advance(s);
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"{instanceId} did not finish; status {(await Client.GetInstanceAsync(instanceId))?.RuntimeStatus}.");
    }

    /// <summary>Waits until the instance has the given status.</summary>
    public async Task WaitForStatusAsync(string instanceId, OrchestrationRuntimeStatus status, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if ((await Client.GetInstanceAsync(instanceId))?.RuntimeStatus == status)
            {
                return;
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"{instanceId} never reached {status}.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
        }
        Store.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

using System.Collections.Concurrent;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace HmRec.Cli.Tests.Hosting;

/// <summary>
/// The orchestration features the pipeline and the hosts use, through our worker and client on DTFx's Azure Storage
/// backend on Azurite: fan-out/fan-in, sub-orchestrations, retries, timers, external events, terminate,
/// suspend/resume, purge and query.
/// </summary>
public sealed class DurableHostTests(TaskHubFixture hubs) : IClassFixture<TaskHubFixture>, IAsyncLifetime
{
    /// <summary>Attempts per instance of the flaky activity (activities are built per call, so the count lives here).</summary>
    private static readonly ConcurrentDictionary<string, int> Attempts = new();

    private DurableHost host = null!;

    private TaskHubDurableClient Client => host.Client;

    public async Task InitializeAsync()
    {
        host = await hubs.OpenAsync();
        await host.StartWorkerAsync(Register);
    }

    public async Task DisposeAsync() => await host.CloseAsync();

    private static void Register(DurableTaskRegistry r)
    {
        r.AddActivityFunc<int, int>("Square", (_, x) => x * x);
        r.AddActivityFunc<string, int>("Flaky", (context, key) =>
        {
            var attempt = Attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
            return attempt < 3 ? throw new IOException($"transient failure {attempt}") : attempt;
        });
        Func<TaskActivityContext, string, int> badInput = (_, key) =>
        {
            Attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
            throw new ArgumentException("column 'price' must be a number");
        };
        r.AddActivityFunc("BadInput", badInput);
        r.AddOrchestratorFunc<int, int>("FanOut", async (context, n) =>
            (await Task.WhenAll(Enumerable.Range(0, n).Select(i => context.CallActivityAsync<int>("Square", i)))).Sum());
        r.AddOrchestratorFunc<int, int>("Parent", async (context, n) =>
            await context.CallSubOrchestratorAsync<int>("FanOut", n, new SubOrchestrationOptions { InstanceId = context.InstanceId + ":child" }) + 1);
        r.AddOrchestratorFunc<string, int>("Retried", (context, key) => context.CallActivityAsync<int>("Flaky", key, Retry));
        r.AddOrchestratorFunc<string, int>("NotRetried", (context, key) => context.CallActivityAsync<int>("BadInput", key, Retry));
        r.AddOrchestratorFunc<int, string>("Timer", async (context, seconds) =>
        {
            var start = context.CurrentUtcDateTime;
            await context.CreateTimer(TimeSpan.FromSeconds(seconds), CancellationToken.None);
            return (context.CurrentUtcDateTime - start).TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        });
        r.AddOrchestratorFunc<object?, string>("WaitForGo", async (context, _) =>
        {
            context.SetCustomStatus("waiting");
            var payload = await context.WaitForExternalEvent<Payload>("go");
            return $"{payload.Name}:{payload.Count}";
        });
    }

    /// <summary>Retries transient failures fast; a bad-input failure is not retried.</summary>
    private static TaskOptions Retry => TaskOptions.FromRetryPolicy(new RetryPolicy(4, TimeSpan.FromMilliseconds(200))
    {
        HandleFailure = f => !f.IsCausedBy<ArgumentException>(),
    });

    [Fact]
    public async Task FanOut_FiftyActivities_SumsEveryResult()
    {
        var done = await RunAsync("FanOut", 50);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(Enumerable.Range(0, 50).Sum(i => i * i), done.ReadOutputAs<int>());
        Assert.Equal(50, TaskHubFixture.Count(await Client.GetHistoryAsync(done.InstanceId), EventType.TaskCompleted));
    }

    [Fact]
    public async Task SubOrchestration_ChildResult_ReachesTheParent()
    {
        var done = await RunAsync("Parent", 4);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(0 + 1 + 4 + 9 + 1, done.ReadOutputAs<int>());
        var child = await Client.GetInstanceAsync(done.InstanceId + ":child", getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
        Assert.Equal("FanOut", child.Name);
    }

    [Fact]
    public async Task Retry_TransientFailures_AreRetriedUntilTheActivitySucceeds()
    {
        var key = Guid.NewGuid().ToString("N");
        var done = await RunAsync("Retried", key);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        Assert.Equal(3, done.ReadOutputAs<int>());
        Assert.Equal(3, Attempts[key]);
    }

    [Fact]
    public async Task Retry_BadInput_FailsOnceWithTheRootCause()
    {
        var key = Guid.NewGuid().ToString("N");
        var done = await RunAsync("NotRetried", key);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(1, Attempts[key]);
        var root = done.FailureDetails.Root()!;
        Assert.Equal(typeof(ArgumentException).FullName, root.ErrorType);
        Assert.Equal("column 'price' must be a number", root.ErrorMessage);
        Assert.True(root.IsCausedBy<ArgumentException>());
    }

    [Fact]
    public async Task Timer_Fires_AfterItsDelay()
    {
        var done = await RunAsync("Timer", 2);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        // Storage queues delay a message by whole seconds, so the timer may fire up to a second early.
        Assert.True(double.Parse(done.ReadOutputAs<string>()!, System.Globalization.CultureInfo.InvariantCulture) >= 1.0);
        Assert.Equal(1, TaskHubFixture.Count(await Client.GetHistoryAsync(done.InstanceId), EventType.TimerFired));
    }

    [Fact]
    public async Task ExternalEvent_RaisedByTheClient_CompletesTheWait()
    {
        var id = await StartAndWaitForCustomStatusAsync();
        await Client.RaiseEventAsync(id, "go", new Payload("shirt", 3));
        var done = await WaitAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("shirt:3", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Terminate_AWaitingInstance_EndsItTerminated()
    {
        var id = await StartAndWaitForCustomStatusAsync();
        await Client.TerminateInstanceAsync(id, "enough");
        var done = await WaitAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
    }

    [Fact]
    public async Task SuspendResume_EventsWaitWhileSuspended_AndRunAfterResume()
    {
        var id = await StartAndWaitForCustomStatusAsync();
        await Client.SuspendInstanceAsync(id, "pause");
        await PollAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);
        await Client.RaiseEventAsync(id, "go", new Payload("coat", 1));
        await Task.Delay(2000);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await Client.GetInstanceAsync(id))!.RuntimeStatus);

        await Client.ResumeInstanceAsync(id, "go on");
        var done = await WaitAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("coat:1", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task QueryAndPurge_FilterByPrefixAndStatus_PageThroughThem_AndPurgeRemovesThem()
    {
        var prefix = "q" + Guid.NewGuid().ToString("N")[..6] + "-";
        for (var i = 0; i < 5; i++)
        {
            await RunAsync("FanOut", 2, prefix + i);
        }
        var running = await Client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", null, new StartOrchestrationOptions(prefix + "waiting"));

        var pages = 0;
        var completed = new List<string>();
        await foreach (var page in Client.GetAllInstancesAsync(new OrchestrationQuery
        {
            InstanceIdPrefix = prefix,
            Statuses = [OrchestrationRuntimeStatus.Completed],
            PageSize = 2,
        }).AsPages(pageSizeHint: 2))
        {
            pages++;
            completed.AddRange(page.Values.Select(m => m.InstanceId));
        }
        Assert.Equal(Enumerable.Range(0, 5).Select(i => prefix + i), completed.Order());
        Assert.True(pages >= 3, $"{pages} pages");

        Assert.Equal(1, (await Client.PurgeInstanceAsync(prefix + "0")).PurgedInstanceCount);
        Assert.Null(await Client.GetInstanceAsync(prefix + "0"));
        var purged = await Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(DateTimeOffset.UtcNow.AddHours(-1), null, [OrchestrationRuntimeStatus.Completed]));
        Assert.True(purged.PurgedInstanceCount >= 4);
        Assert.Null(await Client.GetInstanceAsync(prefix + "4"));
        Assert.NotNull(await Client.GetInstanceAsync(running));
        await Client.TerminateInstanceAsync(running, "done");
    }

    [Fact]
    public async Task Start_ARunningId_IsRefused_AndAnEndedIdStartsAgain()
    {
        var id = await StartAndWaitForCustomStatusAsync();
        await Assert.ThrowsAsync<global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException>(
            () => Client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", null, new StartOrchestrationOptions(id)));
        await Client.TerminateInstanceAsync(id, "stop");
        await WaitAsync(id);
        await Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 3, new StartOrchestrationOptions(id));
        var again = await WaitAsync(id);
        Assert.Equal("FanOut", again.Name);
        Assert.Equal(5, again.ReadOutputAs<int>());
    }

    [Fact]
    public async Task UnknownOrchestrator_FailsNamingIt()
    {
        var done = await RunAsync("NoSuchThing", 1);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("No orchestrator named 'NoSuchThing'", done.FailureDetails.Root()!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoHostsOnOneHub_HaveTheirOwnWorkerIds()
    {
        await using var other = await hubs.OpenAsync(TaskHubFixture.NewHubName());
        Assert.NotEqual(host.WorkerId, other.WorkerId);
        Assert.StartsWith(Environment.MachineName, other.WorkerId, StringComparison.Ordinal);
    }

    private async Task<OrchestrationMetadata> RunAsync(string name, object? input, string? id = null)
    {
        id = await Client.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions(id ?? Guid.NewGuid().ToString("N")));
        return await WaitAsync(id);
    }

    private async Task<string> StartAndWaitForCustomStatusAsync()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", null, new StartOrchestrationOptions(Guid.NewGuid().ToString("N")));
        await PollAsync(id, m => m.SerializedCustomStatus is not null);
        return id;
    }

    private async Task PollAsync(string id, Func<OrchestrationMetadata, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await Client.GetInstanceAsync(id, timeout.Token) is not { } m || !condition(m))
        {
            await Task.Delay(100, timeout.Token);
        }
    }

    private async Task<OrchestrationMetadata> WaitAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        return await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }

    private sealed record Payload(string Name, int Count);
}

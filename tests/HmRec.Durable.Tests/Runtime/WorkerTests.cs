using HmRec.Durable.Client;
using HmRec.Durable.History;
using HmRec.Durable.Model;
using HmRec.Durable.Runtime;

namespace HmRec.Durable.Tests.Runtime;

public sealed class WorkerTests
{
    [Fact]
    public async Task ActivityLease_OfADeadWorker_ExpiresAndAnotherWorkerRunsIt()
    {
        await using var h = new DurableHarness(new DurableWorkerOptions { ActivityLease = TimeSpan.FromMinutes(1) });
        var runs = 0;
        h.Registry
            .AddActivityFunc<object?, string>("Once", (_, _) =>
            {
                Interlocked.Increment(ref runs);
                return Task.FromResult("done");
            })
            .AddOrchestratorFunc<object?, string>("Leased", (ctx, _) => ctx.CallActivityAsync<string>("Once"));
        // Only orchestrations run until the activity exists; then a "dead" worker takes its lease and never returns.
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Leased");
        var orchestrationsOnly = new DurableTaskRegistry().AddOrchestratorFunc<object?, string>("Leased", (ctx, _) => ctx.CallActivityAsync<string>("Once"));
        var first = await h.StartWorkerAsync(orchestrationsOnly, h.Options with { DispatchActivities = false });
        IReadOnlyList<HmRec.Durable.Stores.ActivityWorkItem> stolen = [];
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (stolen.Count == 0 && DateTime.UtcNow < deadline)
        {
            stolen = await h.Store.LockNextActivitiesAsync("dead-worker", 10, TimeSpan.FromMinutes(1), CancellationToken.None);
            await Task.Delay(10);
        }
        await first.StopAsync();
        Assert.Equal(0, runs);

        await h.StartWorkerAsync();
        await Task.Delay(300);
        Assert.Equal(0, runs);
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        var done = await h.WaitAsync(id);
        Assert.Equal("done", done.ReadOutputAs<string>());
        Assert.Equal(1, runs);

        // The dead worker's late result is dropped: its lease is gone.
        await h.Store.CompleteActivitiesAsync([(stolen[0], new TaskCompletedEvent(-1, DateTime.UtcNow, stolen[0].TaskId, "\"zombie\""))], CancellationToken.None);
        await Task.Delay(200);
        Assert.Equal("done", (await h.Client.GetInstanceAsync(id))!.ReadOutputAs<string>());
    }

    [Fact]
    public async Task PoisonActivity_AfterMaxDequeueCount_FailsWithAClearReason()
    {
        await using var h = new DurableHarness(new DurableWorkerOptions { MaxDequeueCount = 3, ActivityLease = TimeSpan.FromMinutes(1) });
        var runs = 0;
        h.Registry
            .AddActivityFunc<object?, string>("Crashes", (_, _) =>
            {
                Interlocked.Increment(ref runs);
                return Task.FromResult("never committed");
            })
            .AddOrchestratorFunc<object?, string>("Poisoned", (ctx, _) => ctx.CallActivityAsync<string>("Crashes"));
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Poisoned");
        var orchestrationsOnly = new DurableTaskRegistry().AddOrchestratorFunc<object?, string>("Poisoned", (ctx, _) => ctx.CallActivityAsync<string>("Crashes"));
        var first = await h.StartWorkerAsync(orchestrationsOnly, h.Options with { DispatchActivities = false });
        // Three workers in a row take the activity and die without completing it.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            IReadOnlyList<HmRec.Durable.Stores.ActivityWorkItem> taken = [];
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (taken.Count == 0 && DateTime.UtcNow < deadline)
            {
                taken = await h.Store.LockNextActivitiesAsync($"doomed-{attempt}", 1, TimeSpan.FromMinutes(1), CancellationToken.None);
                await Task.Delay(10);
            }
            Assert.Equal(attempt + 1, taken[0].DequeueCount);
            h.Clock.Advance(TimeSpan.FromMinutes(2));
        }
        await first.StopAsync();
        await h.StartWorkerAsync();
        var done = await h.WaitAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(0, runs);
        var failure = (await h.Client.GetInstanceAsync(id, true))!.History!.OfType<TaskFailedEvent>().Single().FailureDetails;
        Assert.Equal("PoisonActivity", failure.ErrorType);
        Assert.Contains("handed out 3 times", failure.ErrorMessage);
        Assert.Contains("MaxDequeueCount = 3", failure.ErrorMessage);
    }

    [Fact]
    public async Task ActivityConcurrency_NeverExceedsTheLimit()
    {
        await using var h = new DurableHarness(new DurableWorkerOptions { MaxConcurrentActivities = 3 });
        var current = 0;
        var peak = 0;
        h.Registry
            .AddActivityFunc<int, int>("Busy", async (_, x) =>
            {
                var now = Interlocked.Increment(ref current);
                int seen;
                while (now > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
                {
                }
                await Task.Delay(30);
                Interlocked.Decrement(ref current);
                return x;
            })
            .AddOrchestratorFunc<object?, int>("Many", async (ctx, _) => (await Task.WhenAll(Enumerable.Range(0, 30).Select(i => ctx.CallActivityAsync<int>("Busy", i)))).Sum());
        await h.StartWorkerAsync();
        var done = await h.WaitAsync(await h.Client.ScheduleNewOrchestrationInstanceAsync("Many"));
        Assert.Equal(435, done.ReadOutputAs<int>());
        Assert.Equal(3, peak);
    }

    [Fact]
    public async Task OrchestrationConcurrency_NeverExceedsTheLimit()
    {
        // The episodes below block their threads to make overlap observable; give the pool enough of them.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), io);
        await using var h = new DurableHarness(new DurableWorkerOptions { MaxConcurrentOrchestrations = 2 });
        var current = 0;
        var peak = 0;
        h.Registry.AddOrchestratorFunc<int, int>("Spinner", (ctx, x) =>
        {
            var now = Interlocked.Increment(ref current);
            int seen;
            while (now > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
            {
            }
            Thread.Sleep(200);
            Interlocked.Decrement(ref current);
            return Task.FromResult(x);
        });
        for (var i = 0; i < 8; i++)
        {
            await h.Client.ScheduleNewOrchestrationInstanceAsync("Spinner", i, new StartOrchestrationOptions($"s{i}"));
        }
        await h.StartWorkerAsync();
        for (var i = 0; i < 8; i++)
        {
            await h.WaitAsync($"s{i}");
        }
        Assert.Equal(2, peak);
    }

    [Fact]
    public async Task StopAsync_LetsRunningActivitiesFinishAndCommits()
    {
        await using var h = new DurableHarness();
        var started = new TaskCompletionSource();
        h.Registry
            .AddActivityFunc<object?, string>("Long", async (_, _) =>
            {
                started.TrySetResult();
                await Task.Delay(500);
                return "finished";
            })
            .AddOrchestratorFunc<object?, string>("Graceful", (ctx, _) => ctx.CallActivityAsync<string>("Long"));
        var worker = await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Graceful");
        await started.Task;
        await worker.StopAsync();
        var history = (await h.Client.GetInstanceAsync(id, true))!.History!;
        Assert.Empty(history.OfType<TaskCompletedEvent>());
        // The result was committed as a message; a new worker finishes the episode without running the activity again.
        await h.StartWorkerAsync(new DurableTaskRegistry().AddOrchestratorFunc<object?, string>("Graceful", (ctx, _) => ctx.CallActivityAsync<string>("Long")));
        Assert.Equal("finished", (await h.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task StopAsync_WhenForced_ReleasesTheActivityForAnotherWorker()
    {
        await using var h = new DurableHarness(new DurableWorkerOptions { ActivityLease = TimeSpan.FromHours(1) });
        var started = new TaskCompletionSource();
        var attempts = 0;
        h.Registry
            .AddActivityFunc<object?, string>("Hangs", async (ctx, _) =>
            {
                if (Interlocked.Increment(ref attempts) == 1)
                {
                    started.TrySetResult();
                    await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
                }
                return "second try";
            })
            .AddOrchestratorFunc<object?, string>("Forced", (ctx, _) => ctx.CallActivityAsync<string>("Hangs"));
        var worker = await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Forced");
        await started.Task;
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await worker.StopAsync(soon.Token);
        // No lease expiry needed (it is an hour): the stopped worker released it.
        await h.StartWorkerAsync();
        Assert.Equal("second try", (await h.WaitAsync(id)).ReadOutputAs<string>());
        Assert.Equal(2, attempts);
    }
}

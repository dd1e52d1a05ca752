using HmRec.Durable.Client;
using HmRec.Durable.History;

namespace HmRec.Durable.Tests.Client;

public sealed class ClientTests
{
    [Fact]
    public async Task Schedule_DuplicateRunningId_IsRefused_ButAFinishedIdCanBeReused()
    {
        await using var h = new DurableHarness();
        h.Registry.AddOrchestratorFunc<string, string>("Waiter", (ctx, input) => ctx.WaitForExternalEvent<string>("go"));
        await h.StartWorkerAsync();
        await h.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "first", new StartOrchestrationOptions("weekly-2026-01-05"));
        var e = await Assert.ThrowsAsync<InstanceAlreadyExistsException>(() =>
            h.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "second", new StartOrchestrationOptions("weekly-2026-01-05")));
        Assert.Contains("weekly-2026-01-05", e.Message);

        await h.Client.RaiseEventAsync("weekly-2026-01-05", "go", "done");
        Assert.Equal("done", (await h.WaitAsync("weekly-2026-01-05")).ReadOutputAs<string>());
        await h.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "third", new StartOrchestrationOptions("weekly-2026-01-05"));
        var again = (await h.Client.GetInstanceAsync("weekly-2026-01-05"))!;
        Assert.Equal("third", again.ReadInputAs<string>());
        Assert.False(again.IsCompleted);
    }

    [Fact]
    public async Task GetInstance_ReportsEveryField()
    {
        await using var h = new DurableHarness();
        h.Registry.AddOrchestratorFunc<int, int>("Plus", async (ctx, x) =>
        {
            ctx.SetCustomStatus("almost");
            await ctx.CreateTimer(TimeSpan.FromSeconds(1));
            return x + 1;
        });
        var created = h.Clock.GetUtcNow().UtcDateTime;
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Plus", 41);
        var pending = (await h.Client.GetInstanceAsync(id))!;
        Assert.Equal(OrchestrationRuntimeStatus.Pending, pending.RuntimeStatus);
        Assert.Equal("Plus", pending.Name);
        Assert.Equal(created, pending.CreatedAt);
        await h.StartWorkerAsync();
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        var done = await h.WaitAsync(id, step: TimeSpan.FromSeconds(1));
        Assert.Equal(id, done.InstanceId);
        Assert.Equal(41, done.ReadInputAs<int>());
        Assert.Equal(42, done.ReadOutputAs<int>());
        Assert.Equal("almost", done.ReadCustomStatusAs<string>());
        Assert.True(done.LastUpdatedAt > done.CreatedAt);
        Assert.Null(done.FailureDetails);
        Assert.Null(done.History);
        Assert.Null(await h.Client.GetInstanceAsync("no-such-instance"));
    }

    [Fact]
    public async Task Terminate_RunningInstance_StopsIt_ThenPurgeRemovesIt()
    {
        await using var h = new DurableHarness();
        h.Registry.AddOrchestratorFunc<object?, string>("Forever", (ctx, _) => ctx.WaitForExternalEvent<string>("never"));
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Forever");
        await h.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Client.PurgeInstanceAsync(id));
        Assert.Contains("terminate it", refused.Message);

        await h.Client.TerminateInstanceAsync(id, "operator said so");
        var done = await h.WaitAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.Equal("operator said so", done.ReadOutputAs<string>());
        Assert.True(await h.Client.PurgeInstanceAsync(id));
        Assert.Null(await h.Client.GetInstanceAsync(id));
        Assert.False(await h.Client.PurgeInstanceAsync(id));
    }

    [Fact]
    public async Task Terminate_WithActivityInFlight_DropsItsLateResult()
    {
        await using var h = new DurableHarness();
        var release = new TaskCompletionSource();
        h.Registry
            .AddActivityFunc<object?, string>("Slow", async (_, _) =>
            {
                await release.Task;
                return "late";
            })
            .AddOrchestratorFunc<object?, string>("Busy", (ctx, _) => ctx.CallActivityAsync<string>("Slow"));
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Busy");
        await h.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);
        await h.Client.TerminateInstanceAsync(id);
        await h.WaitAsync(id);
        release.SetResult();
        await Task.Delay(300);
        var state = (await h.Client.GetInstanceAsync(id, true))!;
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, state.RuntimeStatus);
        Assert.DoesNotContain(state.History!, e => e is TaskCompletedEvent);
    }

    [Fact]
    public async Task SuspendResume_HoldsEventsUntilResumed()
    {
        await using var h = new DurableHarness();
        h.Registry.AddOrchestratorFunc<object?, string>("Holdable", (ctx, _) => ctx.WaitForExternalEvent<string>("data"));
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Holdable");
        await h.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);
        await h.Client.SuspendInstanceAsync(id, "maintenance");
        await h.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Suspended);
        await h.Client.RaiseEventAsync(id, "data", "payload");
        await Task.Delay(300);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await h.Client.GetInstanceAsync(id))!.RuntimeStatus);
        await h.Client.ResumeInstanceAsync(id);
        Assert.Equal("payload", (await h.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task RaiseEvent_UnknownInstance_Throws()
    {
        await using var h = new DurableHarness();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => h.Client.RaiseEventAsync("ghost", "x"));
        Assert.Contains("ghost", e.Message);
    }

    [Fact]
    public async Task Query_FiltersAndPages_ThenPurgeByFilter()
    {
        await using var h = new DurableHarness();
        h.Registry
            .AddOrchestratorFunc<int, int>("Quick", (_, x) => Task.FromResult(x))
            .AddOrchestratorFunc<int, int>("Stuck", (ctx, _) => ctx.WaitForExternalEvent<int>("never"));
        await h.StartWorkerAsync();
        var early = h.Clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < 7; i++)
        {
            await h.Client.ScheduleNewOrchestrationInstanceAsync("Quick", i, new StartOrchestrationOptions($"quick-{i}"));
        }
        h.Clock.Advance(TimeSpan.FromHours(1));
        var late = h.Clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < 3; i++)
        {
            await h.Client.ScheduleNewOrchestrationInstanceAsync("Stuck", i, new StartOrchestrationOptions($"stuck-{i}"));
        }
        for (var i = 0; i < 7; i++)
        {
            await h.WaitAsync($"quick-{i}");
        }
        await h.WaitForStatusAsync("stuck-2", OrchestrationRuntimeStatus.Running);

        var pages = new List<string>();
        string? token = null;
        var pageCount = 0;
        do
        {
            var page = await h.Client.QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "quick-", PageSize = 3, ContinuationToken = token });
            pages.AddRange(page.Instances.Select(i => i.InstanceId));
            token = page.ContinuationToken;
            pageCount++;
        }
        while (token is not null);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"quick-{i}"), pages);
        Assert.Equal(3, pageCount);

        var running = await h.Client.QueryInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running] });
        Assert.Equal(new[] { "stuck-0", "stuck-1", "stuck-2" }, running.Instances.Select(i => i.InstanceId));
        var byTime = await h.Client.QueryInstancesAsync(new OrchestrationQuery { CreatedFrom = late });
        Assert.Equal(3, byTime.Instances.Count);
        var byWindow = await h.Client.QueryInstancesAsync(new OrchestrationQuery { CreatedFrom = early, CreatedTo = late });
        Assert.Equal(7, byWindow.Instances.Count);

        // Purge by filter removes only finished instances.
        Assert.Equal(7, await h.Client.PurgeInstancesAsync(new PurgeFilter(CreatedFrom: early)));
        var left = await h.Client.QueryInstancesAsync(new OrchestrationQuery());
        Assert.Equal(new[] { "stuck-0", "stuck-1", "stuck-2" }, left.Instances.Select(i => i.InstanceId));
    }
}

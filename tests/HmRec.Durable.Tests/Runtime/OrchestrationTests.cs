using HmRec.Durable.Client;
using HmRec.Durable.History;
using HmRec.Durable.Model;
using HmRec.Durable.Runtime;

namespace HmRec.Durable.Tests.Runtime;

public sealed class OrchestrationTests
{
    [Fact]
    public async Task ActivityChain_RunsInOrder_AndRecordsHistory()
    {
        await using var h = new DurableHarness();
        h.Registry
            .AddActivityFunc<string, string>("Hello", (_, name) => Task.FromResult($"Hello {name}"))
            .AddOrchestratorFunc<string, string[]>("Greet", async (ctx, who) =>
            [
                await ctx.CallActivityAsync<string>("Hello", who),
                await ctx.CallActivityAsync<string>("Hello", "Oslo"),
            ]);
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Greet", "Tokyo");
        var done = await h.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new[] { "Hello Tokyo", "Hello Oslo" }, done.ReadOutputAs<string[]>());
        Assert.Equal("Tokyo", done.ReadInputAs<string>());
        var history = (await h.Client.GetInstanceAsync(id, getHistory: true))!.History!;
        Assert.IsType<OrchestratorStartedEvent>(history[0]);
        Assert.Contains(history, e => e is ExecutionStartedEvent { Name: "Greet" });
        Assert.Equal(new[] { "Hello", "Hello" }, history.OfType<TaskScheduledEvent>().Select(e => e.Name));
        Assert.Equal(2, history.OfType<TaskCompletedEvent>().Count());
        Assert.IsType<ExecutionCompletedEvent>(history[^1]);
    }

    [Fact]
    public async Task FanOutFanIn_WhenAllOfManyActivities_SumsEveryResult()
    {
        await using var h = new DurableHarness(new DurableWorkerOptions { MaxConcurrentActivities = 4 });
        h.Registry
            .AddActivityFunc<int, int>("Square", (_, x) => Task.FromResult(x * x))
            .AddOrchestratorFunc<int, long>("Sum", async (ctx, n) =>
                (await Task.WhenAll(Enumerable.Range(1, n).Select(i => ctx.CallActivityAsync<int>("Square", i)))).Sum(x => (long)x));
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Sum", 300);
        var done = await h.WaitAsync(id);
        Assert.Equal(300L * 301 * 601 / 6, done.ReadOutputAs<long>());
    }

    [Fact]
    public async Task WhenAny_FirstOfTimerAndEvent_WinsAndOrchestrationContinues()
    {
        await using var h = new DurableHarness();
        h.Registry.AddOrchestratorFunc<object?, string>("Race", async (ctx, _) =>
        {
            var approval = ctx.WaitForExternalEvent<string>("approve");
            var timeout = ctx.CreateTimer(TimeSpan.FromHours(1));
            return await Task.WhenAny(approval, timeout) == approval ? await approval : "timed out";
        });
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Race");
        await h.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);
        await h.Client.RaiseEventAsync(id, "approve", "yes");
        Assert.Equal("yes", (await h.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Retry_FailingActivity_RetriesWithBackoffOnTheDurableClock()
    {
        await using var h = new DurableHarness();
        var calls = 0;
        h.Registry
            .AddActivityFunc<object?, string>("Flaky", (_, _) => Interlocked.Increment(ref calls) < 4 ? throw new IOException("disk busy") : Task.FromResult("ok"))
            .AddOrchestratorFunc<object?, string>("Retrying", (ctx, _) =>
                ctx.CallActivityAsync<string>("Flaky", null, new TaskOptions(new RetryPolicy(5, TimeSpan.FromSeconds(10), 2.0, TimeSpan.FromSeconds(30)))));
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Retrying");
        var done = await h.WaitAsync(id, step: TimeSpan.FromSeconds(1));

        Assert.Equal("ok", done.ReadOutputAs<string>());
        Assert.Equal(4, calls);
        var history = (await h.Client.GetInstanceAsync(id, getHistory: true))!.History!;
        var failures = history.OfType<TaskFailedEvent>().ToList();
        var timers = history.OfType<TimerCreatedEvent>().ToList();
        Assert.Equal(3, failures.Count);
        Assert.Equal(3, timers.Count);
        // Each wait is measured from the episode that saw the failure: 10 s, 20 s, then capped at 30 s.
        var waits = timers.Select(t => t.FireAt - t.Timestamp).ToList();
        Assert.Equal(new[] { TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30) }, waits);
        Assert.All(failures, f => Assert.Equal(typeof(IOException).FullName, f.FailureDetails.ErrorType));
    }

    [Fact]
    public async Task Retry_Exhausted_FailsWithTheActivityFailureAsData()
    {
        await using var h = new DurableHarness();
        h.Registry
            .AddActivityFunc<object?, string>("Broken", (_, _) => throw new InvalidOperationException("outer", new FormatException("inner cause")))
            .AddOrchestratorFunc<object?, string>("Doomed", (ctx, _) =>
                ctx.CallActivityAsync<string>("Broken", null, new TaskOptions(new RetryPolicy(3, TimeSpan.FromSeconds(1)))));
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Doomed");
        var done = await h.WaitAsync(id, step: TimeSpan.FromSeconds(1));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        var failure = done.FailureDetails!;
        Assert.Equal(typeof(TaskFailedException).FullName, failure.ErrorType);
        Assert.Contains("Broken", failure.ErrorMessage);
        Assert.Contains("outer", failure.ErrorMessage);
        var history = (await h.Client.GetInstanceAsync(id, getHistory: true))!.History!;
        var activityFailure = history.OfType<TaskFailedEvent>().Last().FailureDetails;
        Assert.Equal(typeof(InvalidOperationException).FullName, activityFailure.ErrorType);
        Assert.Equal("inner cause", activityFailure.InnerFailure!.ErrorMessage);
        Assert.NotNull(activityFailure.StackTrace);
        Assert.Equal(3, history.OfType<TaskScheduledEvent>().Count());
    }

    [Fact]
    public async Task Retry_PredicateRejectsFailure_DoesNotRetry()
    {
        await using var h = new DurableHarness();
        var calls = 0;
        h.Registry
            .AddActivityFunc<object?, string>("BadInput", (_, _) =>
            {
                Interlocked.Increment(ref calls);
                throw new ArgumentException("bad input");
            })
            .AddOrchestratorFunc<object?, string>("Picky", (ctx, _) =>
                ctx.CallActivityAsync<string>("BadInput", null, new TaskOptions(new RetryPolicy(5, TimeSpan.FromSeconds(1)) { Handle = f => !f.IsCausedBy<ArgumentException>() })));
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Picky");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await h.WaitAsync(id, step: TimeSpan.FromSeconds(1))).RuntimeStatus);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Retry_Timeout_StopsRetryingWhenTheNextWaitWouldPassIt()
    {
        await using var h = new DurableHarness();
        var calls = 0;
        h.Registry
            .AddActivityFunc<object?, string>("Down", (_, _) =>
            {
                Interlocked.Increment(ref calls);
                throw new TimeoutException("service down");
            })
            .AddOrchestratorFunc<object?, string>("Bounded", (ctx, _) =>
                ctx.CallActivityAsync<string>("Down", null, new TaskOptions(new RetryPolicy(100, TimeSpan.FromSeconds(10), 2.0, retryTimeout: TimeSpan.FromSeconds(65)))));
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Bounded");
        // The fake clock moves 1 s per poll: a slow machine then adds little simulated time between a failure
        // and its retry (with 5 s steps a loaded VM once pushed the second failure past 35 s: 2 calls).
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await h.WaitAsync(id, step: TimeSpan.FromSeconds(1))).RuntimeStatus);
        // Waits of 10 + 20 fit in 65 s; the next (40 s) would not.
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task SubOrchestration_Result_ReturnsToParent()
    {
        await using var h = new DurableHarness();
        h.Registry
            .AddActivityFunc<int, int>("Double", (_, x) => Task.FromResult(2 * x))
            .AddOrchestratorFunc<int, int>("Child", async (ctx, x) => await ctx.CallActivityAsync<int>("Double", x) + 1)
            .AddOrchestratorFunc<int, int[]>("Parent", async (ctx, n) =>
                await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallSubOrchestratorAsync<int>("Child", i))));
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Parent", 5, new StartOrchestrationOptions("parent-1"));
        Assert.Equal(new[] { 1, 3, 5, 7, 9 }, (await h.WaitAsync(id)).ReadOutputAs<int[]>());
        var child = await h.Client.GetInstanceAsync("parent-1:0");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
        Assert.Equal("Child", child.Name);
    }

    [Fact]
    public async Task SubOrchestration_Failure_SurfacesInParentAsTaskFailedException()
    {
        await using var h = new DurableHarness();
        h.Registry
            .AddOrchestratorFunc<int, int>("FailingChild", (_, _) => throw new InvalidDataException("child blew up"))
            .AddOrchestratorFunc<object?, string>("CatchingParent", async (ctx, _) =>
            {
                try
                {
                    await ctx.CallSubOrchestratorAsync<int>("FailingChild", 1);
                    return "no failure";
                }
                catch (TaskFailedException e)
                {
                    return $"{e.TaskName}: {e.FailureDetails.ErrorType}: {e.FailureDetails.ErrorMessage}";
                }
            })
            .AddOrchestratorFunc<object?, int>("FailingParent", (ctx, _) => ctx.CallSubOrchestratorAsync<int>("FailingChild", 1));
        await h.StartWorkerAsync();
        var caught = await h.WaitAsync(await h.Client.ScheduleNewOrchestrationInstanceAsync("CatchingParent"));
        Assert.Equal($"FailingChild: {typeof(InvalidDataException).FullName}: child blew up", caught.ReadOutputAs<string>());
        var failed = await h.WaitAsync(await h.Client.ScheduleNewOrchestrationInstanceAsync("FailingParent"));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Contains("child blew up", failed.FailureDetails!.ErrorMessage);
    }

    [Fact]
    public async Task Timer_FiresOnlyWhenTheClockPassesIt()
    {
        await using var h = new DurableHarness();
        h.Registry.AddOrchestratorFunc<object?, DateTime>("Sleeper", async (ctx, _) =>
        {
            await ctx.CreateTimer(TimeSpan.FromMinutes(10));
            return ctx.CurrentUtcDateTime;
        });
        await h.StartWorkerAsync();
        var start = h.Clock.GetUtcNow().UtcDateTime;
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Sleeper");
        await h.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);
        await Task.Delay(300);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await h.Client.GetInstanceAsync(id))!.RuntimeStatus);
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        var done = await h.WaitAsync(id);
        Assert.True(done.ReadOutputAs<DateTime>() >= start.AddMinutes(10));
    }

    [Fact]
    public async Task Timer_CreatedBeforeRestart_FiresInANewWorker()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"hmrec-durable-{Guid.NewGuid():N}");
        var path = Path.Combine(directory, "taskhub.db");
        try
        {
            await TimerAcrossRestart(path);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task TimerAcrossRestart(string path)
    {
        var clock = new FakeClock();
        var options = new DurableWorkerOptions { MaxPollInterval = TimeSpan.FromMilliseconds(20) };
        var registry = new DurableTaskRegistry().AddOrchestratorFunc<object?, string>("Waits", async (ctx, _) =>
        {
            await ctx.CreateTimer(TimeSpan.FromHours(1));
            return "woke";
        });
        string id;
        using (var store = new HmRec.Durable.Stores.Sqlite.SqliteDurableStore(path, clock))
        {
            var worker = new DurableWorker(registry, store, options, clock);
            await worker.StartAsync();
            var client = new DurableTaskClient(store, clock);
            id = await client.ScheduleNewOrchestrationInstanceAsync("Waits");
            while ((await client.GetInstanceAsync(id, true))!.History?.OfType<TimerCreatedEvent>().Any() != true)
            {
                await Task.Delay(10);
            }
            await worker.DisposeAsync();
        }

        // A new process would see only the file: a new store, a new worker, and a clock past the timer.
        using var reopened = new HmRec.Durable.Stores.Sqlite.SqliteDurableStore(path, clock);
        await using var restarted = new DurableWorker(registry, reopened, options, clock);
        await restarted.StartAsync();
        clock.Advance(TimeSpan.FromHours(2));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Equal("woke", (await new DurableTaskClient(reopened, clock).WaitForInstanceCompletionAsync(id, timeout.Token)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task ExternalEvent_RaisedBeforeTheWait_IsKeptAndDelivered()
    {
        await using var h = new DurableHarness();
        var release = new TaskCompletionSource();
        h.Registry
            .AddActivityFunc<object?, string>("Slow", async (_, _) =>
            {
                await release.Task;
                return "done";
            })
            .AddOrchestratorFunc<object?, string>("Late", async (ctx, _) =>
            {
                var work = await ctx.CallActivityAsync<string>("Slow");
                var first = await ctx.WaitForExternalEvent<string>("go");
                var second = await ctx.WaitForExternalEvent<string>("go");
                return $"{work} {first} {second}";
            });
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Late");
        await h.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);
        await h.Client.RaiseEventAsync(id, "go", "one");
        await h.Client.RaiseEventAsync(id, "go", "two");
        await Task.Delay(200);
        release.SetResult();
        Assert.Equal("done one two", (await h.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task ExternalEvent_Timeout_ThrowsTimeoutExceptionInTheOrchestrator()
    {
        await using var h = new DurableHarness();
        h.Registry.AddOrchestratorFunc<object?, string>("Impatient", async (ctx, _) =>
        {
            try
            {
                return await ctx.WaitForExternalEvent<string>("reply", TimeSpan.FromMinutes(5));
            }
            catch (TimeoutException)
            {
                return "no reply";
            }
        });
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Impatient");
        Assert.Equal("no reply", (await h.WaitAsync(id, step: TimeSpan.FromMinutes(1))).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Timer_Cancelled_CompletesAsCancelledAndItsFiringIsIgnored()
    {
        await using var h = new DurableHarness();
        h.Registry.AddOrchestratorFunc<object?, string>("Cancels", async (ctx, _) =>
        {
            using var cts = new CancellationTokenSource();
            var timer = ctx.CreateTimer(TimeSpan.FromMinutes(1), cts.Token);
            var go = ctx.WaitForExternalEvent<string>("go");
            await Task.WhenAny(timer, go);
#pragma warning disable CA1849 // orchestrator code cancels synchronously
            cts.Cancel();
#pragma warning restore CA1849
            var second = await ctx.WaitForExternalEvent<string>("go");
            return $"{timer.IsCanceled} {await go} {second}";
        });
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Cancels");
        await h.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);
        await h.Client.RaiseEventAsync(id, "go", "a");
        await Task.Delay(200);
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        await Task.Delay(200);
        await h.Client.RaiseEventAsync(id, "go", "b");
        Assert.Equal("True a b", (await h.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task ContinueAsNew_Loops_KeepHistorySmallAndCarryEvents()
    {
        await using var h = new DurableHarness();
        h.Registry
            .AddActivityFunc<int, int>("Inc", (_, x) => Task.FromResult(x + 1))
            .AddOrchestratorFunc<int, int>("Counter", async (ctx, n) =>
            {
                var next = await ctx.CallActivityAsync<int>("Inc", n);
                if (next < 25)
                {
                    ctx.ContinueAsNew(next);
                    return 0;
                }
                return next + await ctx.WaitForExternalEvent<int>("bonus");
            });
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Counter", 0);
        await h.Client.RaiseEventAsync(id, "bonus", 100);
        var done = await h.WaitAsync(id);
        Assert.Equal(125, done.ReadOutputAs<int>());
        Assert.Equal(24, done.ReadInputAs<int>());
        var history = (await h.Client.GetInstanceAsync(id, true))!.History!;
        Assert.True(history.Count < 15, $"history of the last execution only, got {history.Count} events");
    }

    [Fact]
    public async Task ContinueAsNew_WithoutPreservingEvents_DropsThem()
    {
        await using var h = new DurableHarness();
        h.Registry.AddOrchestratorFunc<int, string>("Forgetful", async (ctx, round) =>
        {
            if (round == 0)
            {
                await ctx.CreateTimer(TimeSpan.FromSeconds(1));
                ctx.ContinueAsNew(1, preserveUnprocessedEvents: false);
                return "";
            }
            return await ctx.WaitForExternalEvent<string>("note", TimeSpan.FromMinutes(1));
        });
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Forgetful", 0);
        await h.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);
        await h.Client.RaiseEventAsync(id, "note", "early");
        await Task.Delay(200);
        var done = await h.WaitAsync(id, step: TimeSpan.FromSeconds(20));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(typeof(TimeoutException).FullName, done.FailureDetails!.ErrorType);
    }

    [Fact]
    public async Task ContinueAsNew_TimerOfTheOldExecution_DoesNotFireIntoTheNewOne()
    {
        await using var h = new DurableHarness();
        h.Registry.AddOrchestratorFunc<int, string>("Eternal", async (ctx, round) =>
        {
            if (round == 0)
            {
                // Task #0 of this execution: a timer nobody awaits, still pending when the execution ends.
                _ = ctx.CreateTimer(TimeSpan.FromHours(1));
                ctx.ContinueAsNew(1);
                return "";
            }
            // Task #0 of the new execution is another timer; the old one must not complete it.
            return await ctx.WaitForExternalEvent<string>("go", TimeSpan.FromHours(2));
        });
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Eternal", 0);
        while ((await h.Client.GetInstanceAsync(id))!.ReadInputAs<int>() != 1)
        {
            await Task.Delay(10);
        }
        await Task.Delay(200);
        h.Clock.Advance(TimeSpan.FromMinutes(90));
        await Task.Delay(500);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await h.Client.GetInstanceAsync(id))!.RuntimeStatus);
        await h.Client.RaiseEventAsync(id, "go", "on time");
        Assert.Equal("on time", (await h.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task CustomStatus_IsVisibleWhileRunning()
    {
        await using var h = new DurableHarness();
        h.Registry.AddOrchestratorFunc<object?, string>("Reports", async (ctx, _) =>
        {
            ctx.SetCustomStatus(new { stage = "recall", done = 3, total = 8 });
            return await ctx.WaitForExternalEvent<string>("finish");
        });
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Reports");
        await h.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);
        var status = (await h.Client.GetInstanceAsync(id))!;
        Assert.Equal("""{"stage":"recall","done":3,"total":8}""", status.SerializedCustomStatus);
        await h.Client.RaiseEventAsync(id, "finish", "ok");
        await h.WaitAsync(id);
    }

    [Fact]
    public async Task Replay_WithoutSessionCache_IsDeterministic_AndTheLoggerStaysQuiet()
    {
        // No extended sessions: every episode replays the whole history.
        await using var h = new DurableHarness(new DurableWorkerOptions { SessionCacheSize = 0 });
        var logger = new CountingLogger();
        h.Registry
            .AddActivityFunc<int, int>("Echo", (_, x) => Task.FromResult(x))
            .AddOrchestratorFunc<object?, string[]>("Replays", async (ctx, _) =>
            {
                var log = ctx.CreateReplaySafeLogger(logger);
                log.Log(Microsoft.Extensions.Logging.LogLevel.Information, default, "started", null, (s, _) => s);
                var first = ctx.NewGuid();
                var now = ctx.CurrentUtcDateTime;
                ctx.SetCustomStatus(first);
                for (var i = 0; i < 5; i++)
                {
                    await ctx.CallActivityAsync<int>("Echo", i);
                }
                return [first.ToString(), now.ToString("O"), ctx.NewGuid().ToString()];
            });
        await h.StartWorkerAsync();
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Replays");
        var done = await h.WaitAsync(id);
        var output = done.ReadOutputAs<string[]>()!;
        Assert.Equal(done.ReadCustomStatusAs<Guid>().ToString(), output[0]);
        Assert.NotEqual(output[0], output[2]);
        Assert.Equal(1, logger.Count);
    }

    [Theory]
    [InlineData(1000, 1)]
    [InlineData(0, 11)]
    public async Task ExtendedSessions_KeepTheExecutor_SoTheCodeIsNotReplayedPerEvent(int sessionCacheSize, int expectedStarts)
    {
        await using var h = new DurableHarness(new DurableWorkerOptions { SessionCacheSize = sessionCacheSize });
        var starts = 0;
        h.Registry
            .AddActivityFunc<int, int>("Step", (_, x) => Task.FromResult(x))
            .AddOrchestratorFunc<object?, int>("TenSteps", async (ctx, _) =>
            {
                Interlocked.Increment(ref starts); // runs once per (re)play of the orchestrator from the start
                var sum = 0;
                for (var i = 0; i < 10; i++)
                {
                    sum += await ctx.CallActivityAsync<int>("Step", i);
                }
                return sum;
            });
        await h.StartWorkerAsync();
        Assert.Equal(45, (await h.WaitAsync(await h.Client.ScheduleNewOrchestrationInstanceAsync("TenSteps"))).ReadOutputAs<int>());
        Assert.Equal(expectedStarts, starts);
    }

    [Fact]
    public async Task NonDeterminism_CodeSchedulesOtherWork_FailsNamingExpectedAndActual()
    {
        await using var h = new DurableHarness(new DurableWorkerOptions { SessionCacheSize = 0 });
        var v1 = new DurableTaskRegistry()
            .AddActivityFunc<object?, string>("Charge", (_, _) => Task.FromResult("charged"))
            .AddOrchestratorFunc<object?, string>("Checkout", async (ctx, _) =>
            {
                await ctx.CallActivityAsync<string>("Charge");
                return await ctx.WaitForExternalEvent<string>("shipped");
            });
        var worker = await h.StartWorkerAsync(v1);
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Checkout");
        while (!(await h.Client.GetInstanceAsync(id, true))!.History!.OfType<TaskCompletedEvent>().Any())
        {
            await Task.Delay(20);
        }
        await worker.StopAsync();

        var v2 = new DurableTaskRegistry()
            .AddActivityFunc<object?, string>("Reserve", (_, _) => Task.FromResult("reserved"))
            .AddOrchestratorFunc<object?, string>("Checkout", async (ctx, _) =>
            {
                await ctx.CallActivityAsync<string>("Reserve");
                return await ctx.WaitForExternalEvent<string>("shipped");
            });
        await h.StartWorkerAsync(v2);
        await h.Client.RaiseEventAsync(id, "shipped", "yes");
        var done = await h.WaitAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(typeof(NonDeterminismException).FullName, done.FailureDetails!.ErrorType);
        Assert.Contains("activity 'Charge'", done.FailureDetails.ErrorMessage);
        Assert.Contains("activity 'Reserve'", done.FailureDetails.ErrorMessage);
    }

    [Fact]
    public async Task UnknownOrchestrator_FailsTheInstanceWithAClearReason()
    {
        await using var h = new DurableHarness();
        await h.StartWorkerAsync();
        var done = await h.WaitAsync(await h.Client.ScheduleNewOrchestrationInstanceAsync("NoSuchThing"));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("No orchestrator named 'NoSuchThing'", done.FailureDetails!.ErrorMessage);
    }

    private sealed class CountingLogger : Microsoft.Extensions.Logging.ILogger
    {
        public int Count;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Interlocked.Increment(ref Count);
    }
}

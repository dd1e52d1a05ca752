using HmRec.Durable.Model;

namespace HmRec.Durable.CrashWorker;

/// <summary>
/// The crash test's workload: 100 activities fanned out, a durable timer, a sub-orchestration of 50
/// sequential activities, another timer and 50 more fanned-out activities: 200 activities in all. Every
/// activity appends "start {instance} {task}" to a log before it works, so the test can tell which ran
/// again after each kill.
/// </summary>
public static class CrashWorkload
{
    public const string Orchestrator = "CrashParent";

    public static DurableTaskRegistry Register(DurableTaskRegistry registry, string logPath) => registry
        .AddOrchestratorFunc<int, long>(Orchestrator, async (context, _) =>
        {
            var first = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => context.CallActivityAsync<long>("Work", i)));
            await context.CreateTimer(TimeSpan.FromMilliseconds(300));
            var middle = await context.CallSubOrchestratorAsync<long>("CrashChild", 50);
            await context.CreateTimer(TimeSpan.FromMilliseconds(200));
            var last = await Task.WhenAll(Enumerable.Range(150, 50).Select(i => context.CallActivityAsync<long>("Work", i)));
            return first.Sum() + middle + last.Sum();
        })
        .AddOrchestratorFunc<int, long>("CrashChild", async (context, count) =>
        {
            long sum = 0;
            for (var i = 0; i < count; i++)
            {
                sum += await context.CallActivityAsync<long>("Work", 100 + i);
            }
            return sum;
        })
        .AddActivityFunc<int, long>("Work", async (context, i) =>
        {
            lock (typeof(CrashWorkload))
            {
                using var log = new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                log.Write(System.Text.Encoding.UTF8.GetBytes($"start {context.InstanceId} {context.TaskId}\n"));
                log.Flush(flushToDisk: true);
            }
            await Task.Delay(Random.Shared.Next(5, 40));
            return i;
        });
}

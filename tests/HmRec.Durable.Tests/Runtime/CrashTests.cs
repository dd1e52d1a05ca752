using System.Diagnostics;
using HmRec.Durable.Client;
using HmRec.Durable.CrashWorker;
using HmRec.Durable.History;
using HmRec.Durable.Serialization;
using HmRec.Durable.Stores.Sqlite;
using Microsoft.Data.Sqlite;

namespace HmRec.Durable.Tests.Runtime;

public sealed class CrashTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"hmrec-crash-{Guid.NewGuid():N}");

    public CrashTests() => Directory.CreateDirectory(directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Worker_KilledAtTwentyRandomMoments_CompletesRight_AndNeverRerunsACommittedActivity()
    {
        var db = Path.Combine(directory, "taskhub.db");
        var log = Path.Combine(directory, "activities.log");
        const string id = "crash";
        using (var store = new SqliteDurableStore(db))
        {
            await new DurableTaskClient(store).ScheduleNewOrchestrationInstanceAsync(CrashWorkload.Orchestrator, 0, new StartOrchestrationOptions(id));
        }
        File.WriteAllText(log, "");

        // Each life is killed shortly after it commits something new: kills land all through the run,
        // often right after a commit, and no life is spent only starting up and waiting out old leases.
        var random = new Random(20261122);
        var committedAtKill = new List<HashSet<string>>();
        var committed = new HashSet<string>();
        for (var kill = 0; kill < 20; kill++)
        {
            using var worker = Start(db, log, id);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!worker.HasExited && DateTime.UtcNow < deadline && CommittedCompletions(db).Count <= committed.Count)
            {
                await Task.Delay(10);
            }
            await Task.Delay(random.Next(0, 60));
            if (worker.HasExited)
            {
                break;
            }
            worker.Kill(); // SIGKILL: no cleanup, no flush, no graceful stop.
            await worker.WaitForExitAsync();
            var now = CommittedCompletions(db);
            Assert.True(committed.IsSubsetOf(now), $"a committed completion disappeared after kill {kill}");
            committed = now;
            committedAtKill.Add(now);
            File.AppendAllText(log, $"KILL {kill}\n");
        }
        Assert.True(committedAtKill.Count == 20, $"the workload finished after only {committedAtKill.Count} kills; kill sooner");
        Assert.True(committedAtKill[^1].Count < 200, "every activity had completed before the last kill");

        using (var last = Start(db, log, id))
        {
            Assert.True(last.WaitForExit(TimeSpan.FromMinutes(3)), "the final worker did not finish the orchestration");
            Assert.Equal(0, last.ExitCode);
        }

        using (var store = new SqliteDurableStore(db))
        {
            var state = await store.GetInstanceAsync(id, false, CancellationToken.None);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, state!.RuntimeStatus);
            Assert.Equal(Enumerable.Range(0, 200).Sum(), state.ReadOutputAs<long>());
        }

        // Every activity ran, and none whose completion was committed at a kill started again after it.
        var lines = File.ReadAllLines(log);
        Assert.Equal(200, lines.Where(l => l.StartsWith("start ", StringComparison.Ordinal)).Distinct().Count());
        var kills = 0;
        foreach (var line in lines)
        {
            if (line.StartsWith("KILL ", StringComparison.Ordinal))
            {
                kills++;
                continue;
            }
            var task = line["start ".Length..];
            for (var k = 0; k < kills; k++)
            {
                Assert.False(committedAtKill[k].Contains(task), $"activity {task} ran again after kill {k} although its completion was committed");
            }
        }
    }

    private static Process Start(string db, string log, string id)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "HmRec.Durable.CrashWorker.dll"), db, log, id })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>"{instance} {task}" of every activity whose completion is committed: in history, or waiting as a message.</summary>
    private static HashSet<string> CommittedCompletions(string db)
    {
        var committed = new HashSet<string>(StringComparer.Ordinal);
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = "SELECT InstanceId, Event FROM History UNION ALL SELECT InstanceId, Event FROM Messages";
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            if (DurableJson.DeserializeEvent(r.GetString(1)) is TaskCompletedEvent done)
            {
                committed.Add($"{r.GetString(0)} {done.TaskScheduledId}");
            }
        }
        return committed;
    }
}

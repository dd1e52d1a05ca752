using System.Globalization;
using System.Text.Json;
using HmRec.Durable.Client;
using HmRec.Durable.History;
using HmRec.Durable.Model;
using HmRec.Durable.Runtime;
using HmRec.Durable.Serialization;
using Microsoft.Data.Sqlite;

namespace HmRec.Durable.Stores.Sqlite;

/// <summary>
/// The embedded task hub: one SQLite file in WAL mode. Every change is one transaction; work items are
/// leased with a lock owner and an expiry, so several processes can share the file and a dead worker's
/// work is picked up again once its lease runs out. Times come from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class SqliteDurableStore : IDurableStore
{
    private static readonly string[] ActiveStatuses = ["Pending", "Running", "Suspended", "ContinuedAsNew"];
    private readonly string connectionString;
    private readonly TimeProvider clock;
    private readonly SemaphoreSlim writeGate = new(1, 1);

    public SqliteDurableStore(string path, TimeProvider? clock = null)
    {
        this.clock = clock ?? TimeProvider.System;
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 60 }.ToString();
        using var c = Open();
        Execute(c, null, Schema);
        Migrate(c);
    }

    public event Action? WorkAvailable;

    /// <summary>The task hub file.</summary>
    public string Path { get; }

    private long Now => clock.GetUtcNow().UtcTicks;

    /// <summary>Closes this store's pooled connections (other stores in the process keep theirs).</summary>
    public void Dispose()
    {
        writeGate.Dispose();
        using var c = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(c);
    }

    public async Task CreateInstanceAsync(string instanceId, string name, string? input, DateTime? startAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        await WriteAsync(cancellationToken, (c, tx) =>
        {
            var status = Scalar<string>(c, tx, "SELECT Status FROM Instances WHERE InstanceId = $id", ("$id", instanceId));
            if (status is not null && ActiveStatuses.Contains(status))
            {
                throw new InstanceAlreadyExistsException(instanceId);
            }
            DeleteInstance(c, tx, instanceId);
            var executionId = Guid.NewGuid().ToString("N");
            var now = Now;
            Execute(c, tx, """
                INSERT INTO Instances (InstanceId, ExecutionId, Name, Status, Input, CreatedTime, LastUpdatedTime)
                VALUES ($id, $ex, $name, 'Pending', $input, $now, $now)
                """, ("$id", instanceId), ("$ex", executionId), ("$name", name), ("$input", input), ("$now", now));
            var started = new ExecutionStartedEvent(-1, new DateTime(now, DateTimeKind.Utc), name, input, executionId, null);
            InsertMessage(c, tx, instanceId, started, startAt is { } at ? Math.Max(at.ToUniversalTime().Ticks, now) : now);
        }).ConfigureAwait(false);
        WorkAvailable?.Invoke();
    }

    public async Task<bool> SendEventAsync(string instanceId, HistoryEvent e, CancellationToken cancellationToken)
    {
        var sent = false;
        await WriteAsync(cancellationToken, (c, tx) =>
        {
            if (Scalar<string>(c, tx, "SELECT Status FROM Instances WHERE InstanceId = $id", ("$id", instanceId)) is null)
            {
                return;
            }
            InsertMessage(c, tx, instanceId, e, Now);
            sent = true;
        }).ConfigureAwait(false);
        if (sent)
        {
            WorkAvailable?.Invoke();
        }
        return sent;
    }

    public async Task<OrchestrationWorkItem?> LockNextOrchestrationAsync(string workerId, TimeSpan lockFor, CancellationToken cancellationToken)
    {
        OrchestrationWorkItem? item = null;
        await WriteAsync(cancellationToken, (c, tx) =>
        {
            var now = Now;
            using var find = Command(c, tx, """
                SELECT i.InstanceId, i.ExecutionId, i.Name, i.Status, i.HistoryCount FROM Instances i
                WHERE i.LockedUntil <= $now AND EXISTS (
                  SELECT 1 FROM Messages m WHERE m.InstanceId = i.InstanceId AND m.VisibleAt <= $now
                    AND (i.Status <> 'Suspended' OR m.Kind IN ('ExecutionResumedEvent', 'ExecutionTerminatedEvent')))
                ORDER BY i.LastUpdatedTime LIMIT 1
                """, ("$now", now));
            string id, executionId, name, status;
            int historyCount;
            using (var r = find.ExecuteReader())
            {
                if (!r.Read())
                {
                    return;
                }
                (id, executionId, name, status, historyCount) = (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4));
            }
            Execute(c, tx, "UPDATE Instances SET LockedBy = $w, LockedUntil = $until WHERE InstanceId = $id",
                ("$w", workerId), ("$until", now + lockFor.Ticks), ("$id", id));
            // Results addressed to an earlier execution (before a continue-as-new or a restart) are stale.
            Execute(c, tx, "DELETE FROM Messages WHERE InstanceId = $id AND ExecutionId IS NOT NULL AND ExecutionId <> $ex", ("$id", id), ("$ex", executionId));
            var suspended = status == "Suspended";
            using var read = Command(c, tx, $"""
                SELECT Id, Event FROM Messages WHERE InstanceId = $id AND VisibleAt <= $now
                {(suspended ? "AND Kind IN ('ExecutionResumedEvent', 'ExecutionTerminatedEvent')" : "")}
                ORDER BY Id LIMIT 20000
                """, ("$id", id), ("$now", now));
            var ids = new List<long>();
            var events = new List<HistoryEvent>();
            using (var r = read.ExecuteReader())
            {
                while (r.Read())
                {
                    ids.Add(r.GetInt64(0));
                    events.Add(DurableJson.DeserializeEvent(r.GetString(1)));
                }
            }
            if (events.Count == 0)
            {
                Execute(c, tx, "UPDATE Instances SET LockedBy = NULL, LockedUntil = 0 WHERE InstanceId = $id", ("$id", id));
                return;
            }
            item = new OrchestrationWorkItem(id, executionId, name, Enum.Parse<OrchestrationRuntimeStatus>(status), historyCount, events, ids, workerId);
        }).ConfigureAwait(false);
        return item;
    }

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken)
    {
        using var c = Open();
        return Task.FromResult<IReadOnlyList<HistoryEvent>>(ReadHistory(c, instanceId));
    }

    public async Task CompleteOrchestrationAsync(OrchestrationWorkItem item, EpisodeResult result, CancellationToken cancellationToken)
    {
        await WriteAsync(cancellationToken, (c, tx) =>
        {
            var now = Now;
            var owner = Scalar<string>(c, tx, "SELECT LockedBy FROM Instances WHERE InstanceId = $id AND ExecutionId = $ex", ("$id", item.InstanceId), ("$ex", item.ExecutionId));
            if (owner != item.LockedBy)
            {
                throw new LockLostException($"Instance '{item.InstanceId}' is no longer locked by {item.LockedBy}; the episode is dropped and will run again.");
            }
            DeleteMessages(c, tx, item.MessageIds);

            using (var insert = Command(c, tx, "INSERT INTO History (InstanceId, ExecutionId, Seq, Event) VALUES ($id, $ex, $seq, $e)",
                ("$id", item.InstanceId), ("$ex", item.ExecutionId), ("$seq", 0), ("$e", "")))
            {
                var seq = item.HistoryCount;
                foreach (var e in result.NewHistory)
                {
                    insert.Parameters["$seq"].Value = seq++;
                    insert.Parameters["$e"].Value = DurableJson.SerializeEvent(e);
                    insert.ExecuteNonQuery();
                }
            }
            using (var insert = Command(c, tx, "INSERT INTO Activities (InstanceId, ExecutionId, TaskId, Name, Input) VALUES ($id, $ex, $task, $name, $input)",
                ("$id", item.InstanceId), ("$ex", item.ExecutionId), ("$task", 0), ("$name", ""), ("$input", null)))
            {
                foreach (var a in result.Activities)
                {
                    insert.Parameters["$task"].Value = a.TaskId;
                    insert.Parameters["$name"].Value = a.Name;
                    insert.Parameters["$input"].Value = (object?)a.Input ?? DBNull.Value;
                    insert.ExecuteNonQuery();
                }
            }
            foreach (var t in result.Timers)
            {
                InsertMessage(c, tx, item.InstanceId, new TimerFiredEvent(-1, t.FireAt, t.TimerId, t.FireAt), t.FireAt.Ticks, item.ExecutionId);
            }
            foreach (var s in result.SubOrchestrations)
            {
                CreateChild(c, tx, item, s, now);
            }

            var status = result.Status;
            var executionId = item.ExecutionId;
            var historyCount = item.HistoryCount + result.NewHistory.Count;
            if (result.ContinueAsNew is { } next)
            {
                // A new execution with a fresh history: the old one is deleted, which keeps eternal orchestrations small.
                Execute(c, tx, "DELETE FROM History WHERE InstanceId = $id", ("$id", item.InstanceId));
                Execute(c, tx, "DELETE FROM Activities WHERE InstanceId = $id", ("$id", item.InstanceId));
                executionId = Guid.NewGuid().ToString("N");
                historyCount = 0;
                InsertMessage(c, tx, item.InstanceId, new ExecutionStartedEvent(-1, new DateTime(now, DateTimeKind.Utc), item.Name, next.Input, executionId, ReadParent(c, tx, item.InstanceId)), now);
                foreach (var e in next.CarryOver)
                {
                    InsertMessage(c, tx, item.InstanceId, e, now);
                }
            }
            else if (status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
            {
                NotifyParent(c, tx, item.InstanceId, result, now);
            }
            Execute(c, tx, """
                UPDATE Instances SET ExecutionId = $ex, Status = $status, Output = $output, FailureDetails = $failure, CustomStatus = $custom,
                  LastUpdatedTime = $now, HistoryCount = $count, LockedBy = NULL, LockedUntil = 0,
                  Input = CASE WHEN $newInput IS NULL THEN Input ELSE $newInput END
                WHERE InstanceId = $id
                """,
                ("$ex", executionId), ("$status", status.ToString()), ("$output", result.Output),
                ("$failure", result.Failure is null ? null : JsonSerializer.Serialize(result.Failure, DurableJson.Options)),
                ("$custom", result.CustomStatus), ("$now", now), ("$count", historyCount),
                ("$newInput", result.ContinueAsNew?.Input), ("$id", item.InstanceId));
        }).ConfigureAwait(false);
        WorkAvailable?.Invoke();
    }

    public Task DiscardMessagesAsync(OrchestrationWorkItem item, CancellationToken cancellationToken) =>
        WriteAsync(cancellationToken, (c, tx) =>
        {
            DeleteMessages(c, tx, item.MessageIds);
            Execute(c, tx, "UPDATE Instances SET LockedBy = NULL, LockedUntil = 0 WHERE InstanceId = $id AND LockedBy = $w", ("$id", item.InstanceId), ("$w", item.LockedBy));
        });

    public Task AbandonOrchestrationAsync(OrchestrationWorkItem item, CancellationToken cancellationToken) =>
        WriteAsync(cancellationToken, (c, tx) =>
            Execute(c, tx, "UPDATE Instances SET LockedBy = NULL, LockedUntil = 0 WHERE InstanceId = $id AND LockedBy = $w", ("$id", item.InstanceId), ("$w", item.LockedBy)));

    public async Task<IReadOnlyList<ActivityWorkItem>> LockNextActivitiesAsync(string workerId, int max, TimeSpan lockFor, CancellationToken cancellationToken)
    {
        var items = new List<ActivityWorkItem>();
        await WriteAsync(cancellationToken, (c, tx) =>
        {
            var now = Now;
            using (var find = Command(c, tx, "SELECT Id, InstanceId, ExecutionId, TaskId, Name, Input, DequeueCount FROM Activities WHERE LockedUntil <= $now ORDER BY LockedUntil, Id LIMIT $max",
                ("$now", now), ("$max", max)))
            using (var r = find.ExecuteReader())
            {
                while (r.Read())
                {
                    items.Add(new ActivityWorkItem(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt32(6) + 1, workerId));
                }
            }
            using var update = Command(c, tx, "UPDATE Activities SET LockedBy = $w, LockedUntil = $until, DequeueCount = DequeueCount + 1 WHERE Id = $id",
                ("$w", workerId), ("$until", now + lockFor.Ticks), ("$id", 0L));
            foreach (var item in items)
            {
                update.Parameters["$id"].Value = item.Id;
                update.ExecuteNonQuery();
            }
        }).ConfigureAwait(false);
        return items;
    }

    public async Task CompleteActivitiesAsync(IReadOnlyList<(ActivityWorkItem Item, HistoryEvent Result)> results, CancellationToken cancellationToken)
    {
        if (results.Count == 0)
        {
            return;
        }
        await WriteAsync(cancellationToken, (c, tx) =>
        {
            var now = Now;
            using var delete = Command(c, tx, "DELETE FROM Activities WHERE Id = $id AND LockedBy = $w", ("$id", 0L), ("$w", ""));
            foreach (var (item, result) in results)
            {
                delete.Parameters["$id"].Value = item.Id;
                delete.Parameters["$w"].Value = item.LockedBy;
                if (delete.ExecuteNonQuery() == 1)
                {
                    InsertMessage(c, tx, item.InstanceId, result, now, item.ExecutionId);
                }
            }
        }).ConfigureAwait(false);
        WorkAvailable?.Invoke();
    }

    public Task RenewActivityLocksAsync(IReadOnlyList<ActivityWorkItem> items, TimeSpan lockFor, CancellationToken cancellationToken) =>
        WriteAsync(cancellationToken, (c, tx) =>
        {
            using var update = Command(c, tx, "UPDATE Activities SET LockedUntil = $until WHERE Id = $id AND LockedBy = $w", ("$until", Now + lockFor.Ticks), ("$id", 0L), ("$w", ""));
            foreach (var item in items)
            {
                update.Parameters["$id"].Value = item.Id;
                update.Parameters["$w"].Value = item.LockedBy;
                update.ExecuteNonQuery();
            }
        });

    public Task AbandonActivityAsync(ActivityWorkItem item, CancellationToken cancellationToken) =>
        WriteAsync(cancellationToken, (c, tx) =>
            Execute(c, tx, "UPDATE Activities SET LockedBy = NULL, LockedUntil = 0 WHERE Id = $id AND LockedBy = $w", ("$id", item.Id), ("$w", item.LockedBy)));
}

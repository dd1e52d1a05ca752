using HmRec.Durable.Client;
using HmRec.Durable.History;
using HmRec.Durable.Runtime;
using HmRec.Durable.Serialization;
using Microsoft.Data.Sqlite;

namespace HmRec.Durable.Stores.Sqlite;

public sealed partial class SqliteDurableStore
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS Instances (
          InstanceId TEXT PRIMARY KEY, ExecutionId TEXT NOT NULL, Name TEXT NOT NULL, Status TEXT NOT NULL,
          Input TEXT, Output TEXT, CustomStatus TEXT, FailureDetails TEXT,
          CreatedTime INTEGER NOT NULL, LastUpdatedTime INTEGER NOT NULL,
          ParentInstanceId TEXT, ParentName TEXT, ParentTaskId INTEGER, ParentExecutionId TEXT,
          HistoryCount INTEGER NOT NULL DEFAULT 0, LockedBy TEXT, LockedUntil INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS InstancesByCreated ON Instances (CreatedTime);
        CREATE INDEX IF NOT EXISTS InstancesByLock ON Instances (LockedUntil, LastUpdatedTime);
        CREATE TABLE IF NOT EXISTS History (
          InstanceId TEXT NOT NULL, ExecutionId TEXT NOT NULL, Seq INTEGER NOT NULL, Event TEXT NOT NULL,
          PRIMARY KEY (InstanceId, ExecutionId, Seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS Messages (
          Id INTEGER PRIMARY KEY AUTOINCREMENT, InstanceId TEXT NOT NULL, Kind TEXT NOT NULL, Event TEXT NOT NULL, VisibleAt INTEGER NOT NULL,
          ExecutionId TEXT);
        CREATE INDEX IF NOT EXISTS MessagesByInstance ON Messages (InstanceId, VisibleAt);
        CREATE INDEX IF NOT EXISTS MessagesByVisible ON Messages (VisibleAt);
        CREATE TABLE IF NOT EXISTS Activities (
          Id INTEGER PRIMARY KEY AUTOINCREMENT, InstanceId TEXT NOT NULL, ExecutionId TEXT NOT NULL, TaskId INTEGER NOT NULL,
          Name TEXT NOT NULL, Input TEXT, LockedBy TEXT, LockedUntil INTEGER NOT NULL DEFAULT 0, DequeueCount INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS ActivitiesByLock ON Activities (LockedUntil, Id);
        CREATE INDEX IF NOT EXISTS ActivitiesByInstance ON Activities (InstanceId);
        """;

    /// <summary>Adds columns that task hubs created by earlier versions lack.</summary>
    private static void Migrate(SqliteConnection c)
    {
        foreach (var (table, column) in new[] { ("Messages", "ExecutionId"), ("Instances", "ParentExecutionId") })
        {
            if (Scalar<long>(c, null, $"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = '{column}'") == 0)
            {
                Execute(c, null, $"ALTER TABLE {table} ADD COLUMN {column} TEXT");
            }
        }
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(connectionString);
        c.Open();
        Execute(c, null, "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 60000;");
        return c;
    }

    /// <summary>One write transaction; writers of this process queue here, other processes wait on SQLite's lock.</summary>
    private async Task WriteAsync(CancellationToken cancellationToken, Action<SqliteConnection, SqliteTransaction> work)
    {
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var c = Open();
            using var tx = c.BeginTransaction(deferred: false);
            work(c, tx);
            tx.Commit();
        }
        finally
        {
            writeGate.Release();
        }
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = c.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    private static void Execute(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(c, tx, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static T? Scalar<T>(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(c, tx, sql, parameters);
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>
    /// Queues an event for an instance. A task result names the execution it belongs to, so a result that
    /// arrives after the instance continued as new (or restarted) is dropped instead of completing a task
    /// of the new execution that happens to have the same id.
    /// </summary>
    private static void InsertMessage(SqliteConnection c, SqliteTransaction tx, string instanceId, HistoryEvent e, long visibleAt, string? executionId = null) =>
        Execute(c, tx, "INSERT INTO Messages (InstanceId, Kind, Event, VisibleAt, ExecutionId) VALUES ($id, $kind, $e, $at, $ex)",
            ("$id", instanceId), ("$kind", e.GetType().Name), ("$e", DurableJson.SerializeEvent(e)), ("$at", visibleAt), ("$ex", executionId));

    private static void DeleteMessages(SqliteConnection c, SqliteTransaction tx, IReadOnlyList<long> ids)
    {
        using var delete = Command(c, tx, "DELETE FROM Messages WHERE Id = $id", ("$id", 0L));
        foreach (var id in ids)
        {
            delete.Parameters["$id"].Value = id;
            delete.ExecuteNonQuery();
        }
    }

    private static void DeleteInstance(SqliteConnection c, SqliteTransaction tx, string instanceId)
    {
        foreach (var table in new[] { "Instances", "History", "Messages", "Activities" })
        {
            Execute(c, tx, $"DELETE FROM {table} WHERE InstanceId = $id", ("$id", instanceId));
        }
    }

    private static ParentInstance? ReadParent(SqliteConnection c, SqliteTransaction tx, string instanceId)
    {
        using var command = Command(c, tx, "SELECT ParentInstanceId, ParentName, ParentTaskId FROM Instances WHERE InstanceId = $id", ("$id", instanceId));
        using var r = command.ExecuteReader();
        return r.Read() && !r.IsDBNull(0) ? new ParentInstance(r.GetString(0), r.GetString(1), r.GetInt32(2)) : null;
    }

    /// <summary>Starts a sub-orchestration in the parent's transaction; an id still in use fails the call in the parent.</summary>
    private static void CreateChild(SqliteConnection c, SqliteTransaction tx, OrchestrationWorkItem parent, SubOrchestrationRequest s, long now)
    {
        var status = Scalar<string>(c, tx, "SELECT Status FROM Instances WHERE InstanceId = $id", ("$id", s.InstanceId));
        if (status is not null && ActiveStatuses.Contains(status))
        {
            var failure = new Model.TaskFailureDetails(typeof(InstanceAlreadyExistsException).FullName!, new InstanceAlreadyExistsException(s.InstanceId).Message, null, null);
            InsertMessage(c, tx, parent.InstanceId, new SubOrchestrationFailedEvent(-1, new DateTime(now, DateTimeKind.Utc), s.TaskId, failure), now, parent.ExecutionId);
            return;
        }
        DeleteInstance(c, tx, s.InstanceId);
        var executionId = Guid.NewGuid().ToString("N");
        Execute(c, tx, """
            INSERT INTO Instances (InstanceId, ExecutionId, Name, Status, Input, CreatedTime, LastUpdatedTime, ParentInstanceId, ParentName, ParentTaskId, ParentExecutionId)
            VALUES ($id, $ex, $name, 'Pending', $input, $now, $now, $parent, $parentName, $task, $parentEx)
            """, ("$id", s.InstanceId), ("$ex", executionId), ("$name", s.Name), ("$input", s.Input), ("$now", now),
            ("$parent", parent.InstanceId), ("$parentName", parent.Name), ("$task", s.TaskId), ("$parentEx", parent.ExecutionId));
        var parentInfo = new ParentInstance(parent.InstanceId, parent.Name, s.TaskId);
        InsertMessage(c, tx, s.InstanceId, new ExecutionStartedEvent(-1, new DateTime(now, DateTimeKind.Utc), s.Name, s.Input, executionId, parentInfo), now);
    }

    /// <summary>Tells a parent that its sub-orchestration finished.</summary>
    private static void NotifyParent(SqliteConnection c, SqliteTransaction tx, string instanceId, EpisodeResult result, long now)
    {
        if (ReadParent(c, tx, instanceId) is not { } parent)
        {
            return;
        }
        var parentExecution = Scalar<string>(c, tx, "SELECT ParentExecutionId FROM Instances WHERE InstanceId = $id", ("$id", instanceId));
        var time = new DateTime(now, DateTimeKind.Utc);
        HistoryEvent message = result.Status == OrchestrationRuntimeStatus.Completed
            ? new SubOrchestrationCompletedEvent(-1, time, parent.TaskScheduledId, result.Output)
            : new SubOrchestrationFailedEvent(-1, time, parent.TaskScheduledId,
                result.Failure ?? new Model.TaskFailureDetails("Terminated", $"Sub-orchestration '{instanceId}' was terminated: {result.Output}", null, null));
        InsertMessage(c, tx, parent.InstanceId, message, now, parentExecution);
    }
}

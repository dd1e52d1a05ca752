using System.Text.Json;
using HmRec.Durable.Client;
using HmRec.Durable.History;
using HmRec.Durable.Model;
using HmRec.Durable.Serialization;
using Microsoft.Data.Sqlite;

namespace HmRec.Durable.Stores.Sqlite;

public sealed partial class SqliteDurableStore
{
    private const string MetadataColumns = "Name, InstanceId, Status, CreatedTime, LastUpdatedTime, Input, Output, CustomStatus, FailureDetails";

    public Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool includeHistory, CancellationToken cancellationToken)
    {
        using var c = Open();
        using var command = Command(c, null, $"SELECT {MetadataColumns} FROM Instances WHERE InstanceId = $id", ("$id", instanceId));
        using var r = command.ExecuteReader();
        if (!r.Read())
        {
            return Task.FromResult<OrchestrationMetadata?>(null);
        }
        var metadata = ReadMetadata(r);
        return Task.FromResult<OrchestrationMetadata?>(includeHistory ? metadata with { History = ReadHistory(c, instanceId) } : metadata);
    }

    public Task<OrchestrationQueryResult> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        using var c = Open();
        var (where, parameters) = Filter(query.CreatedFrom, query.CreatedTo, query.Statuses);
        if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
        {
            where += " AND substr(InstanceId, 1, length($prefix)) = $prefix";
            parameters.Add(("$prefix", query.InstanceIdPrefix));
        }
        if (!string.IsNullOrEmpty(query.ContinuationToken))
        {
            where += " AND InstanceId > $after";
            parameters.Add(("$after", query.ContinuationToken));
        }
        parameters.Add(("$limit", query.PageSize + 1));
        using var command = Command(c, null, $"SELECT {MetadataColumns} FROM Instances WHERE {where} ORDER BY InstanceId LIMIT $limit", [.. parameters]);
        var list = new List<OrchestrationMetadata>();
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                list.Add(ReadMetadata(r));
            }
        }
        var more = list.Count > query.PageSize;
        if (more)
        {
            list.RemoveAt(list.Count - 1);
        }
        return Task.FromResult(new OrchestrationQueryResult(list, more ? list[^1].InstanceId : null));
    }

    public async Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        var purged = false;
        await WriteAsync(cancellationToken, (c, tx) =>
        {
            var status = Scalar<string>(c, tx, "SELECT Status FROM Instances WHERE InstanceId = $id", ("$id", instanceId));
            if (status is null)
            {
                return;
            }
            if (ActiveStatuses.Contains(status))
            {
                throw new InvalidOperationException($"Instance '{instanceId}' is {status}; terminate it (or let it finish) before purging it.");
            }
            DeleteInstance(c, tx, instanceId);
            purged = true;
        }).ConfigureAwait(false);
        return purged;
    }

    public async Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken)
    {
        var finished = new[] { OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated };
        var statuses = filter.Statuses is { Count: > 0 } s ? s.Intersect(finished).ToArray() : finished;
        var count = 0;
        await WriteAsync(cancellationToken, (c, tx) =>
        {
            var (where, parameters) = Filter(filter.CreatedFrom, filter.CreatedTo, statuses);
            var ids = new List<string>();
            using (var command = Command(c, tx, $"SELECT InstanceId FROM Instances WHERE {where}", [.. parameters]))
            using (var r = command.ExecuteReader())
            {
                while (r.Read())
                {
                    ids.Add(r.GetString(0));
                }
            }
            foreach (var id in ids)
            {
                DeleteInstance(c, tx, id);
            }
            count = ids.Count;
        }).ConfigureAwait(false);
        return count;
    }

    private static (string Where, List<(string, object?)> Parameters) Filter(DateTime? from, DateTime? to, IReadOnlyCollection<OrchestrationRuntimeStatus>? statuses)
    {
        var where = "1 = 1";
        var parameters = new List<(string, object?)>();
        if (from is { } f)
        {
            where += " AND CreatedTime >= $from";
            parameters.Add(("$from", f.ToUniversalTime().Ticks));
        }
        if (to is { } t)
        {
            where += " AND CreatedTime < $to";
            parameters.Add(("$to", t.ToUniversalTime().Ticks));
        }
        if (statuses is { Count: > 0 })
        {
            where += $" AND Status IN ({string.Join(", ", statuses.Select(x => $"'{x}'"))})";
        }
        return (where, parameters);
    }

    private static OrchestrationMetadata ReadMetadata(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        Enum.Parse<OrchestrationRuntimeStatus>(r.GetString(2)),
        new DateTime(r.GetInt64(3), DateTimeKind.Utc),
        new DateTime(r.GetInt64(4), DateTimeKind.Utc),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7),
        r.IsDBNull(8) ? null : JsonSerializer.Deserialize<TaskFailureDetails>(r.GetString(8), DurableJson.Options));

    private static List<HistoryEvent> ReadHistory(SqliteConnection c, string instanceId)
    {
        using var command = Command(c, null, """
            SELECT h.Event FROM History h JOIN Instances i ON i.InstanceId = h.InstanceId AND i.ExecutionId = h.ExecutionId
            WHERE h.InstanceId = $id ORDER BY h.Seq
            """, ("$id", instanceId));
        using var r = command.ExecuteReader();
        var events = new List<HistoryEvent>();
        while (r.Read())
        {
            events.Add(DurableJson.DeserializeEvent(r.GetString(0)));
        }
        return events;
    }
}

using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.DurableTask.Converters;
using CoreFailureDetails = DurableTask.Core.FailureDetails;
using CoreQuery = DurableTask.Core.Query.OrchestrationQuery;
using SdkQuery = Microsoft.DurableTask.Client.OrchestrationQuery;
using SdkPurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace HmRec.Cli.Hosting;

/// <summary>
/// The Durable Task SDK's client over DTFx's client interfaces of a task hub (the Azure Storage backend here):
/// what the CLI, the HTTP management API and the timer use to start, query and control instances.
/// </summary>
internal sealed class TaskHubDurableClient : DurableTaskClient
{
    /// <summary>A start is refused while an instance of the same id is in one of these states.</summary>
    private static readonly OrchestrationStatus[] Active = [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Suspended, OrchestrationStatus.ContinuedAsNew];

    private readonly IOrchestrationServiceClient client;
    private readonly DataConverter converter = JsonDataConverter.Default;

    public TaskHubDurableClient(IOrchestrationServiceClient client, string name = "default")
        : base(name)
    {
        this.client = client;
    }

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null,
        CancellationToken cancellation = default)
    {
        var instance = new OrchestrationInstance
        {
            InstanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N"),
            ExecutionId = Guid.NewGuid().ToString("N"),
        };
        var started = new ExecutionStartedEvent(-1, converter.Serialize(input))
        {
            Name = orchestratorName.Name,
            Version = string.Empty,
            OrchestrationInstance = instance,
            ScheduledStartTime = options?.StartAt?.UtcDateTime,
        };
        if (options?.Tags is { Count: > 0 } tags)
        {
            started.Tags = new Dictionary<string, string>(tags);
        }
        await client.CreateTaskOrchestrationAsync(new TaskMessage { Event = started, OrchestrationInstance = instance }, Active).ConfigureAwait(false);
        return instance.InstanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new EventRaisedEvent(-1, converter.Serialize(eventPayload)) { Name = eventName });

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        client.ForceTerminateTaskOrchestrationAsync(instanceId, converter.Serialize(options?.Output));

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason));

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionResumedEvent(-1, reason));

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        var states = await client.GetOrchestrationStateAsync(instanceId, allExecutions: false).ConfigureAwait(false);
        return states?.FirstOrDefault(s => s is not null) is { } state ? await ToMetadataAsync(state, getInputsAndOutputs).ConfigureAwait(false) : null;
    }

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(SdkQuery? filter = null) =>
        Pageable.Create<OrchestrationMetadata>(async (continuation, pageSize, cancellation) =>
        {
            var query = new CoreQuery
            {
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                RuntimeStatus = filter?.Statuses?.Select(s => (OrchestrationStatus)s).ToList(),
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                PageSize = pageSize ?? filter?.PageSize ?? SdkQuery.DefaultPageSize,
                ContinuationToken = continuation ?? filter?.ContinuationToken,
                FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
            };
            var result = await QueryClient.GetOrchestrationWithQueryAsync(query, cancellation).ConfigureAwait(false);
            var items = new List<OrchestrationMetadata>(result.OrchestrationState.Count);
            foreach (var state in result.OrchestrationState)
            {
                items.Add(await ToMetadataAsync(state, query.FetchInputsAndOutputs).ConfigureAwait(false));
            }
            return new Page<OrchestrationMetadata>(items, result.ContinuationToken);
        });

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        PollAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        PollAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellation);

    public override async Task<SdkPurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        var result = await PurgeClient.PurgeInstanceStateAsync(instanceId).ConfigureAwait(false);
        return new SdkPurgeResult(result.DeletedInstanceCount);
    }

    public override async Task<SdkPurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        var result = await PurgeClient.PurgeInstanceStateAsync(new PurgeInstanceFilter(
            filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue,
            filter.CreatedTo?.UtcDateTime,
            filter.Statuses?.Select(s => (OrchestrationStatus)s))).ConfigureAwait(false);
        return new SdkPurgeResult(result.DeletedInstanceCount);
    }

    /// <summary>
    /// The history of the instance's current execution as DTFx records it: one JSON object per event, with its
    /// <c>EventType</c> as DTFx's <see cref="EventType"/> number (for the management API and <c>hmrec status</c>).
    /// </summary>
    public async Task<JsonArray> GetHistoryAsync(string instanceId)
    {
        var json = await client.GetOrchestrationHistoryAsync(instanceId, executionId: null!).ConfigureAwait(false);
        return string.IsNullOrEmpty(json) ? [] : JsonNode.Parse(json) as JsonArray ?? [];
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private IOrchestrationServiceQueryClient QueryClient => client as IOrchestrationServiceQueryClient
        ?? throw new NotSupportedException("This task hub's backend cannot query instances.");

    private IOrchestrationServicePurgeClient PurgeClient => client as IOrchestrationServicePurgeClient
        ?? throw new NotSupportedException("This task hub's backend cannot purge instances.");

    private Task SendAsync(string instanceId, HistoryEvent e) =>
        client.SendTaskOrchestrationMessageAsync(new TaskMessage { Event = e, OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId } });

    private async Task<OrchestrationMetadata> PollAsync(string instanceId, bool getInputsAndOutputs, Func<OrchestrationMetadata, bool> done, CancellationToken cancellation)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            if (await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false) is { } metadata && done(metadata))
            {
                return metadata;
            }
            await Task.Delay(delay, cancellation).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 1000));
        }
    }

    private async Task<OrchestrationMetadata> ToMetadataAsync(OrchestrationState state, bool withData)
    {
        var failure = state.FailureDetails;
        if (state.OrchestrationStatus == OrchestrationStatus.Failed && failure is null)
        {
            // The Azure Storage instances table keeps only the output; the failure details are in the history.
            var completed = (await GetHistoryAsync(state.OrchestrationInstance.InstanceId).ConfigureAwait(false))
                .LastOrDefault(e => e?["EventType"]?.GetValue<int>() == (int)EventType.ExecutionCompleted);
            failure = ReadFailure(completed?["FailureDetails"]);
        }
        return new OrchestrationMetadata(state.Name, state.OrchestrationInstance.InstanceId)
        {
            DataConverter = converter,
            RuntimeStatus = (OrchestrationRuntimeStatus)state.OrchestrationStatus,
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
            LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
            SerializedInput = withData ? state.Input : null,
            SerializedOutput = withData ? state.Output : null,
            SerializedCustomStatus = state.Status,
            FailureDetails = ToSdk(failure),
            Tags = state.Tags is { } tags ? new Dictionary<string, string>(tags) : new Dictionary<string, string>(),
        };
    }

    private static CoreFailureDetails? ReadFailure(JsonNode? node) =>
        node is JsonObject f && f["ErrorType"]?.GetValue<string>() is { } type
            ? new CoreFailureDetails(type, f["ErrorMessage"]?.GetValue<string>() ?? "", f["StackTrace"]?.GetValue<string>(), ReadFailure(f["InnerFailure"]), false)
            : null;

    private static TaskFailureDetails? ToSdk(CoreFailureDetails? f) =>
        f is null ? null : new TaskFailureDetails(f.ErrorType, f.ErrorMessage, f.StackTrace, ToSdk(f.InnerFailure), null);
}

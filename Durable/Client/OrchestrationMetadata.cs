using HmRec.Durable.History;
using HmRec.Durable.Model;
using HmRec.Durable.Serialization;

namespace HmRec.Durable.Client;

/// <summary>The status of one orchestration instance.</summary>
public sealed record OrchestrationMetadata(
    string Name,
    string InstanceId,
    OrchestrationRuntimeStatus RuntimeStatus,
    DateTime CreatedAt,
    DateTime LastUpdatedAt,
    string? SerializedInput,
    string? SerializedOutput,
    string? SerializedCustomStatus,
    TaskFailureDetails? FailureDetails)
{
    /// <summary>The current execution's history, when asked for.</summary>
    public IReadOnlyList<HistoryEvent>? History { get; init; }

    /// <summary>True for Completed, Failed and Terminated.</summary>
    public bool IsCompleted => RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    public T? ReadInputAs<T>() => DurableJson.Deserialize<T>(SerializedInput);

    public T? ReadOutputAs<T>() => DurableJson.Deserialize<T>(SerializedOutput);

    public T? ReadCustomStatusAs<T>() => DurableJson.Deserialize<T>(SerializedCustomStatus);
}

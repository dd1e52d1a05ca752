namespace HmRec.Durable.Client;

/// <summary>Where an orchestration instance stands.</summary>
public enum OrchestrationRuntimeStatus
{
    Pending,
    Running,
    Completed,
    ContinuedAsNew,
    Failed,
    Terminated,
    Suspended,
}

using System.Text.Json.Serialization;

namespace HmRec.Durable.History;

/// <summary>
/// One immutable entry of an orchestration's append-only history. <see cref="EventId"/> is the task or
/// timer id for events that record an action, -1 otherwise.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(ExecutionStartedEvent), "ExecutionStarted")]
[JsonDerivedType(typeof(OrchestratorStartedEvent), "OrchestratorStarted")]
[JsonDerivedType(typeof(TaskScheduledEvent), "TaskScheduled")]
[JsonDerivedType(typeof(TaskCompletedEvent), "TaskCompleted")]
[JsonDerivedType(typeof(TaskFailedEvent), "TaskFailed")]
[JsonDerivedType(typeof(SubOrchestrationCreatedEvent), "SubOrchestrationCreated")]
[JsonDerivedType(typeof(SubOrchestrationCompletedEvent), "SubOrchestrationCompleted")]
[JsonDerivedType(typeof(SubOrchestrationFailedEvent), "SubOrchestrationFailed")]
[JsonDerivedType(typeof(TimerCreatedEvent), "TimerCreated")]
[JsonDerivedType(typeof(TimerFiredEvent), "TimerFired")]
[JsonDerivedType(typeof(EventRaisedEvent), "EventRaised")]
[JsonDerivedType(typeof(ExecutionTerminatedEvent), "ExecutionTerminated")]
[JsonDerivedType(typeof(ExecutionSuspendedEvent), "ExecutionSuspended")]
[JsonDerivedType(typeof(ExecutionResumedEvent), "ExecutionResumed")]
[JsonDerivedType(typeof(ExecutionCompletedEvent), "ExecutionCompleted")]
public abstract record HistoryEvent(int EventId, DateTime Timestamp);

using System.Security.Cryptography;
using System.Text;
using HmRec.Durable.Client;
using HmRec.Durable.History;
using HmRec.Durable.Model;
using HmRec.Durable.Serialization;

namespace HmRec.Durable.Runtime;

/// <summary>
/// Runs one execution of an orchestrator over its history. Past events are fed with IsReplaying set,
/// then the episode's new events; actions the code takes are matched, by task id, against the actions
/// history recorded (a mismatch is a non-determinism failure), and the rest become new work. The
/// executor keeps its state between episodes, so a worker that caches it (an extended session) feeds
/// only new events instead of replaying everything.
/// </summary>
internal sealed partial class OrchestrationExecutor
{
    private readonly ITaskOrchestrator orchestrator;
    private readonly OrchestrationSynchronizationContext sync = new();
    private readonly Context context;
    private readonly Dictionary<int, PendingAction> pending = [];
    private readonly List<PendingAction> unrecorded = [];
    private readonly Dictionary<int, Action<HistoryEvent>> open = [];
    private readonly Dictionary<string, LinkedList<TaskCompletionSource<string?>>> waiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<EventRaisedEvent> buffered = [];
    private Task<object?>? run;
    private int nextTaskId;
    private int guidCounter;
    private bool replaying;
    private DateTime now;
    private Exception? fatal;
    private string? terminatedReason;
    private bool suspended;
    private string? customStatus;
    private ContinueAsNewState? continueAsNew;

    public OrchestrationExecutor(ITaskOrchestrator orchestrator, string name, string instanceId)
    {
        this.orchestrator = orchestrator;
        context = new Context(this, name, instanceId);
    }

    /// <summary>History events applied so far (committed ones plus those of the last episode).</summary>
    public int AppliedEvents { get; private set; }

    /// <summary>The execution this executor belongs to.</summary>
    public string? ExecutionId { get; private set; }

    public bool IsFinished { get; private set; }

    /// <summary>Replays <paramref name="past"/> (empty for a cached executor), then runs one episode over <paramref name="newEvents"/>.</summary>
    public EpisodeResult Execute(IReadOnlyList<HistoryEvent> past, IReadOnlyList<HistoryEvent> newEvents, DateTime episodeTime)
    {
        replaying = true;
        foreach (var e in past)
        {
            Apply(e);
        }
        replaying = false;

        var history = new List<HistoryEvent>(newEvents.Count + 8);
        var started = new OrchestratorStartedEvent(-1, episodeTime);
        history.Add(started);
        Apply(started);
        foreach (var e in newEvents)
        {
            if (IsFinished)
            {
                break;
            }
            history.Add(e);
            Apply(e);
        }

        var activities = new List<ActivityRequest>();
        var timers = new List<TimerRequest>();
        var subs = new List<SubOrchestrationRequest>();
        if (fatal is null && terminatedReason is null)
        {
            foreach (var action in unrecorded)
            {
                if (action.Recorded)
                {
                    continue;
                }
                action.Recorded = true;
                pending.Remove(action.Id);
                switch (action)
                {
                    case ActivityAction a:
                        history.Add(new TaskScheduledEvent(a.Id, episodeTime, a.Name, a.Input));
                        activities.Add(new ActivityRequest(a.Id, a.Name, a.Input));
                        break;
                    case TimerAction t:
                        history.Add(new TimerCreatedEvent(t.Id, episodeTime, t.FireAt));
                        timers.Add(new TimerRequest(t.Id, t.FireAt));
                        break;
                    case SubOrchestrationAction s:
                        history.Add(new SubOrchestrationCreatedEvent(s.Id, episodeTime, s.Name, s.InstanceId, s.Input));
                        subs.Add(new SubOrchestrationRequest(s.Id, s.Name, s.InstanceId, s.Input));
                        break;
                }
            }
        }

        unrecorded.Clear();
        var result = Complete(history, episodeTime);
        AppliedEvents += history.Count;
        return result with { Activities = activities, Timers = timers, SubOrchestrations = subs };
    }

    private EpisodeResult Complete(List<HistoryEvent> history, DateTime episodeTime)
    {
        OrchestrationRuntimeStatus status;
        string? output = null;
        TaskFailureDetails? failure = null;
        ContinueAsNewRequest? next = null;
        if (terminatedReason is not null)
        {
            status = OrchestrationRuntimeStatus.Terminated;
            output = DurableJson.Serialize(terminatedReason);
        }
        else if (fatal is not null)
        {
            status = OrchestrationRuntimeStatus.Failed;
            failure = TaskFailureDetails.FromException(fatal);
        }
        else if (run is { IsCompleted: true })
        {
            if (run.IsFaulted)
            {
                status = OrchestrationRuntimeStatus.Failed;
                failure = TaskFailureDetails.FromException(run.Exception!.InnerException ?? run.Exception);
            }
            else if (run.IsCanceled)
            {
                status = OrchestrationRuntimeStatus.Failed;
                failure = new TaskFailureDetails(typeof(TaskCanceledException).FullName!, "The orchestrator's task was cancelled.", null, null);
            }
            else if (continueAsNew is { } c)
            {
                status = OrchestrationRuntimeStatus.ContinuedAsNew;
                next = new ContinueAsNewRequest(c.Input, c.PreserveEvents ? buffered.ToList() : []);
            }
            else
            {
                status = OrchestrationRuntimeStatus.Completed;
                output = DurableJson.Serialize(run.Result);
            }
        }
        else
        {
            status = suspended ? OrchestrationRuntimeStatus.Suspended : OrchestrationRuntimeStatus.Running;
        }

        if (status is not (OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended))
        {
            IsFinished = true;
            history.Add(new ExecutionCompletedEvent(-1, episodeTime, status, output, failure));
        }
        return new EpisodeResult
        {
            NewHistory = history,
            Activities = [],
            Timers = [],
            SubOrchestrations = [],
            Status = status,
            Output = output,
            Failure = failure,
            CustomStatus = customStatus,
            ContinueAsNew = next,
        };
    }

    private void Apply(HistoryEvent e)
    {
        if (fatal is not null)
        {
            return;
        }
        try
        {
            switch (e)
            {
                case OrchestratorStartedEvent:
                    now = e.Timestamp;
                    break;
                case ExecutionStartedEvent s:
                    ExecutionId = s.ExecutionId;
                    var input = DurableJson.Deserialize(s.Input, orchestrator.InputType);
                    sync.Run(() => run = orchestrator.RunAsync(context, input));
                    break;
                case TaskScheduledEvent t:
                    Match(t.EventId, a => a is ActivityAction x && x.Name == t.Name, $"activity '{t.Name}'");
                    break;
                case TimerCreatedEvent t:
                    Match(t.EventId, a => a is TimerAction, "a timer");
                    break;
                case SubOrchestrationCreatedEvent s:
                    Match(s.EventId, a => a is SubOrchestrationAction x && x.Name == s.Name, $"sub-orchestration '{s.Name}'");
                    break;
                case var done when CompletedTaskId(done) is { } id:
                    Resolve(id, done);
                    break;
                case EventRaisedEvent r:
                    Raise(r);
                    break;
                case ExecutionTerminatedEvent t:
                    terminatedReason = t.Reason ?? "terminated";
                    break;
                case ExecutionSuspendedEvent:
                    suspended = true;
                    break;
                case ExecutionResumedEvent:
                    suspended = false;
                    break;
                case ExecutionCompletedEvent:
                    IsFinished = true;
                    break;
            }
        }
        catch (NonDeterminismException x)
        {
            fatal = x;
        }
    }

    private void Match(int id, Func<PendingAction, bool> matches, string recorded)
    {
        if (!pending.TryGetValue(id, out var action))
        {
            throw new NonDeterminismException(
                $"Non-deterministic orchestration '{context.Name}' ({context.InstanceId}): history records {recorded} as task #{id}, but the code now schedules nothing there. " +
                "Changing what an orchestrator schedules breaks running instances: deploy the change under a new orchestrator name, or let running instances finish first.");
        }
        if (!matches(action))
        {
            throw new NonDeterminismException(
                $"Non-deterministic orchestration '{context.Name}' ({context.InstanceId}): history records {recorded} as task #{id}, but the code now schedules {action.Describe()}. " +
                "Changing what an orchestrator schedules breaks running instances: deploy the change under a new orchestrator name, or let running instances finish first.");
        }
        action.Recorded = true;
        pending.Remove(id);
    }

    /// <summary>The task or timer id an event completes, or null for events that complete nothing.</summary>
    private static int? CompletedTaskId(HistoryEvent e) => e switch
    {
        TaskCompletedEvent c => c.TaskScheduledId,
        TaskFailedEvent f => f.TaskScheduledId,
        SubOrchestrationCompletedEvent c => c.TaskScheduledId,
        SubOrchestrationFailedEvent f => f.TaskScheduledId,
        TimerFiredEvent t => t.TimerId,
        _ => null,
    };

    private void Resolve(int id, HistoryEvent e)
    {
        // A completion for a task that is not open (a duplicate delivery, or an abandoned timer) is ignored.
        if (open.Remove(id, out var complete))
        {
            sync.Run(() => complete(e));
        }
    }

    private void Raise(EventRaisedEvent e)
    {
        if (waiters.TryGetValue(e.Name, out var list) && list.First is { } first)
        {
            list.RemoveFirst();
            sync.Run(() => first.Value.TrySetResult(e.Input));
        }
        else
        {
            buffered.Add(e);
        }
    }

    private int NextId() => nextTaskId++;

    private void Schedule(PendingAction action)
    {
        pending[action.Id] = action;
        unrecorded.Add(action);
    }

    private Guid DeterministicGuid()
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{context.InstanceId}|{ExecutionId}|{guidCounter++}"));
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes.AsSpan(0, 16));
    }

    private sealed record ContinueAsNewState(string? Input, bool PreserveEvents);
}

namespace HmRec.Durable.Model;

/// <summary>Orchestrators and activities by name.</summary>
public sealed class DurableTaskRegistry
{
    private readonly Dictionary<string, Func<ITaskOrchestrator>> orchestrators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<ITaskActivity>> activities = new(StringComparer.Ordinal);

    /// <summary>Registers an orchestrator class under its type name (or <paramref name="name"/>).</summary>
    public DurableTaskRegistry AddOrchestrator<T>(string? name = null)
        where T : ITaskOrchestratorMarker, new() => Add(orchestrators, name ?? typeof(T).Name, () => (ITaskOrchestrator)new T());

    /// <summary>Registers an orchestrator written as a function.</summary>
    public DurableTaskRegistry AddOrchestratorFunc<TInput, TOutput>(string name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> run) =>
        Add(orchestrators, name, () => new FuncOrchestrator<TInput, TOutput>(run));

    /// <summary>Registers an activity class under its type name (or <paramref name="name"/>).</summary>
    public DurableTaskRegistry AddActivity<T>(string? name = null)
        where T : ITaskActivityMarker, new() => Add(activities, name ?? typeof(T).Name, () => (ITaskActivity)new T());

    /// <summary>Registers an activity written as a function.</summary>
    public DurableTaskRegistry AddActivityFunc<TInput, TOutput>(string name, Func<TaskActivityContext, TInput, Task<TOutput>> run) =>
        Add(activities, name, () => new FuncActivity<TInput, TOutput>(run));

    internal ITaskOrchestrator? CreateOrchestrator(string name) => orchestrators.TryGetValue(name, out var f) ? f() : null;

    internal ITaskActivity? CreateActivity(string name) => activities.TryGetValue(name, out var f) ? f() : null;

    private DurableTaskRegistry Add<T>(Dictionary<string, Func<T>> map, string name, Func<T> factory)
    {
        if (!map.TryAdd(name, factory))
        {
            throw new ArgumentException($"'{name}' is registered twice.", nameof(name));
        }
        return this;
    }

    private sealed class FuncOrchestrator<TInput, TOutput>(Func<TaskOrchestrationContext, TInput, Task<TOutput>> run) : TaskOrchestrator<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input) => run(context, input);
    }

    private sealed class FuncActivity<TInput, TOutput>(Func<TaskActivityContext, TInput, Task<TOutput>> run) : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => run(context, input);
    }
}

/// <summary>Implemented by every <see cref="TaskOrchestrator{TInput, TOutput}"/>; lets the registry constrain types.</summary>
public interface ITaskOrchestratorMarker;

/// <summary>Implemented by every <see cref="TaskActivity{TInput, TOutput}"/>.</summary>
public interface ITaskActivityMarker;

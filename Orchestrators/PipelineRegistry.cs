using HmRec.Activities;
using HmRec.Orchestrators.Training;

namespace HmRec.Orchestrators;

/// <summary>
/// HmRec's orchestrators and activities for a worker: the standalone host registers them with its worker, and the
/// Functions app has one <c>[Function]</c> per entry (a test compares the app's generated metadata with it). The
/// activities are <see cref="PipelineActivityList"/>'s, each run through <see cref="PipelineActivities"/>.
/// </summary>
public static class PipelineRegistry
{
    private static readonly (string Name, Action<DurableTaskRegistry> Add)[] Orchestrations =
    [
        (PipelineOrchestrator.Name, r => r.AddOrchestrator<PipelineOrchestrator>(PipelineOrchestrator.Name)),
        (TrainingOrchestrator.Name, r => r.AddOrchestrator<TrainingOrchestrator>(TrainingOrchestrator.Name)),
    ];

    /// <summary>The orchestrators' names.</summary>
    public static IReadOnlyList<string> OrchestratorNames { get; } = [.. Orchestrations.Select(o => o.Name)];

    /// <summary>The activities' names.</summary>
    public static IReadOnlyList<string> ActivityNames { get; } = [.. PipelineActivityList.All.Select(a => a.Name)];

    /// <summary>Adds every orchestrator, and every activity run by <paramref name="activities"/>, to <paramref name="registry"/>.</summary>
    public static DurableTaskRegistry Register(DurableTaskRegistry registry, PipelineActivities activities)
    {
        foreach (var (_, add) in Orchestrations)
        {
            add(registry);
        }
        var adder = new Adder(registry, activities);
        foreach (var activity in PipelineActivityList.All)
        {
            activity.Accept(adder);
        }
        return registry;
    }

    /// <summary>Registers a typed activity under its name, run by the host's <see cref="PipelineActivities"/>.</summary>
    private sealed class Adder(DurableTaskRegistry registry, PipelineActivities activities) : IActivityVisitor
    {
        public void Visit<TInput, TOutput>(ActivityDefinition<TInput, TOutput> activity) =>
            registry.AddActivityFunc<TInput, TOutput>(activity.Name, (context, input) => activities.RunAsync(activity, input, context.InstanceId));
    }
}

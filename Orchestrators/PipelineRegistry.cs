using HmRec.Activities.Ingest;
using HmRec.Durable.Model;
using HmRec.Orchestrators.Pipeline;

namespace HmRec.Orchestrators;

/// <summary>Registers every HmRec orchestrator and activity with a durable worker.</summary>
public static class PipelineRegistry
{
    /// <param name="registry">The registry to fill.</param>
    /// <param name="progress">Where long activities report their stages (a console, a log); optional.</param>
    public static DurableTaskRegistry Register(DurableTaskRegistry registry, IProgress<string>? progress = null) => registry
        .AddOrchestrator<PipelineOrchestrator>(PipelineOrchestrator.Name)
        .AddActivityFunc<IngestRequest, IngestSummary>(IngestActivity.Name, (context, request) => new IngestActivity(progress).RunAsync(request, context.CancellationToken));
}

using HmRec.Activities.Ingest;
using HmRec.Durable.Model;
using HmRec.Shared.Data;

namespace HmRec.Orchestrators.Pipeline;

/// <summary>
/// The pipeline: ingest, then (as later stages land) recall, features, training, evaluation and the
/// submission. Deterministic: it only decides what runs next; activities do the work.
/// </summary>
public sealed class PipelineOrchestrator : TaskOrchestrator<PipelineRequest, PipelineResult>
{
    public const string Name = "Pipeline";

    /// <summary>Transient failures are retried; bad input is not, as it would fail the same way again.</summary>
    internal static readonly TaskOptions Retry = new(new RetryPolicy(3, TimeSpan.FromSeconds(5), 2.0) { Handle = f => !f.IsCausedBy<InputDataException>() });

    public override async Task<PipelineResult> RunAsync(TaskOrchestrationContext context, PipelineRequest request)
    {
        context.SetCustomStatus(new PipelineStatus("ingest", 0, 1));
        var ingest = await context.CallActivityAsync<IngestSummary>(
            IngestActivity.Name,
            new IngestRequest(request.Inputs, Path.Combine(request.RunDirectory, "ingest"), request.Options.Ingest),
            Retry);
        context.SetCustomStatus(new PipelineStatus("done", 1, 1));
        return new PipelineResult(request.RunId, ingest);
    }
}

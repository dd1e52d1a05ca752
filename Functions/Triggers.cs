using System.Net;
using System.Text.Json;
using HmRec.Activities.Common;
using HmRec.Orchestrators.Pipeline;
using HmRec.Shared.Data;
using HmRec.Shared.Options;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace HmRec.Functions;

/// <summary>The HTTP starter of a run and the weekly retrain timer.</summary>
public sealed class Triggers(FunctionSettings settings, IServiceProvider services)
{
    /// <summary>
    /// <c>POST /api/pipelines</c> (function key): starts a run. The optional JSON body holds option overrides (the names of
    /// <see cref="PipelineOptions"/>) and <c>data</c> (<c>blob:{prefix}</c> of the run storage, or a folder); a malformed
    /// body or bad data is a 400 naming the field or file. Answers 202 with the Durable management URLs.
    /// </summary>
    [Function("StartPipeline")]
    public async Task<HttpResponseData> StartPipeline(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "pipelines")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        PipelineRequest run;
        try
        {
            using var reader = new StreamReader(request.Body);
            var (options, data) = PipelineStartBody.Parse(await reader.ReadToEndAsync(context.CancellationToken));
            run = await PrepareAsync(data, options, Guid.NewGuid().ToString("N")[..12], null, context.CancellationToken);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or InputDataException)
        {
            var bad = request.CreateResponse(HttpStatusCode.BadRequest);
            await bad.WriteAsJsonAsync(new { error = e.Message }, context.CancellationToken);
            bad.StatusCode = HttpStatusCode.BadRequest;
            return bad;
        }
        await client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, run, new StartOrchestrationOptions(run.RunId), context.CancellationToken);
        return await client.CreateCheckStatusResponseAsync(request, run.RunId, context.CancellationToken);
    }

    /// <summary>
    /// The weekly retrain on HMREC_RETRAIN_SCHEDULE (NCRONTAB, six fields): the pipeline with default options on
    /// HMREC_DATA_CONNECTION (or the generated dataset) under the instance id of the occurrence; skipped while an
    /// earlier retrain runs. The Functions host runs one timer per app and catches up a missed occurrence (UseMonitor).
    /// </summary>
    [Function("Retrain")]
    public async Task Retrain([TimerTrigger("%HMREC_RETRAIN_SCHEDULE%", UseMonitor = true)] TimerInfo timer, [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var now = DateTime.UtcNow;
        var id = RetrainInstance.Id(new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc));
        var running = client.GetAllInstancesAsync(new OrchestrationQuery
        {
            InstanceIdPrefix = RetrainInstance.Prefix,
            Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended],
            PageSize = 1,
        });
        await foreach (var _ in running.WithCancellation(context.CancellationToken))
        {
            return; // never two retrains at once
        }
        if (await client.GetInstanceAsync(id, context.CancellationToken) is not null)
        {
            return;
        }
        var run = await PrepareAsync(null, new PipelineOptions(), null, id, context.CancellationToken);
        await client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, run, new StartOrchestrationOptions(id), context.CancellationToken);
    }

    private async Task<PipelineRequest> PrepareAsync(string? data, PipelineOptions options, string? suffix, string? runId, CancellationToken cancellationToken)
    {
        var storage = (RunStorage?)services.GetService(typeof(RunStorage));
        var run = await RunPreparation.PrepareAsync(data, options, settings.Store, settings.DataConnection, storage, suffix, runId, cancellationToken);
        return new PipelineRequest(run.RunId, run.Inputs, run.RunDirectory, options);
    }
}

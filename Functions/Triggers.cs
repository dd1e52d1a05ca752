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
        var limits = settings.Limits;
        try
        {
            var body = await ReadBodyAsync(request.Body, limits.MaxRequestBodyBytes, context.CancellationToken);
            if (body is null)
            {
                return await ErrorAsync(request, HttpStatusCode.RequestEntityTooLarge, $"The request body is larger than the limit of {limits.MaxRequestBodyBytes:N0} bytes ({HostLimits.MaxRequestBodyBytesSetting}).", context);
            }
            var (options, data) = PipelineStartBody.Parse(body);
            PipelineLimits.CheckActivities(options, limits.MaxActivitiesPerRun);
            if (await PipelineLimits.RunsInProgressRefusalAsync(client, limits.MaxRunsInProgress, context.CancellationToken) is { } busy)
            {
                var response = await ErrorAsync(request, HttpStatusCode.TooManyRequests, busy, context);
                response.Headers.Add("Retry-After", "60");
                return response;
            }
            run = await PrepareAsync(data, options, Guid.NewGuid().ToString("N")[..12], null, context.CancellationToken);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or InputDataException)
        {
            return await ErrorAsync(request, HttpStatusCode.BadRequest, e.Message, context);
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

    /// <summary>The body as text, or null when it is longer than <paramref name="max"/> bytes (read no further than that).</summary>
    private static async Task<string?> ReadBodyAsync(Stream body, long max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task<HttpResponseData> ErrorAsync(HttpRequestData request, HttpStatusCode code, string error, FunctionContext context)
    {
        var response = request.CreateResponse(code);
        await response.WriteAsJsonAsync(new { error }, context.CancellationToken);
        response.StatusCode = code;
        return response;
    }

    private async Task<PipelineRequest> PrepareAsync(string? data, PipelineOptions options, string? suffix, string? runId, CancellationToken cancellationToken)
    {
        var storage = (RunStorage?)services.GetService(typeof(RunStorage));
        var run = await RunPreparation.PrepareAsync(data, options, settings.Store, settings.DataConnection, storage, suffix, runId, cancellationToken, settings.Roots);
        return new PipelineRequest(run.RunId, run.Inputs, run.RunDirectory, options, settings.Limits.MaxActivitiesPerRun);
    }
}

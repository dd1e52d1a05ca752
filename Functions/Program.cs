using HmRec.Activities.Common;
using HmRec.Functions;
using HmRec.Orchestrators;
using HmRec.Shared.Blob;
using HmRec.Shared.Options;
using HmRec.Activities.Options;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;

// The Functions host runs this worker; the Durable Task extension hosts the orchestrators and activities, whose
// functions are the thin wrappers in this project.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
var settings = FunctionSettings.FromEnvironment();
// The run storage is opened (and checked) once, before the host starts: a refused key or a missing account fails the start.
var storage = settings.RunStorage is { } connection
    ? new RunStorage(new BlobMirror(await BlobStorage.OpenContainerAsync(connection, FunctionSettings.Container)))
    : null;
var gpuJob = settings.GpuJob?.Connect(storage!.Mirror.Client, Environment.GetEnvironmentVariable("AZURE_CLIENT_ID"));
builder.Services.AddSingleton(settings);
var starterSettings = new StarterSettings(settings.Store, settings.DataConnection, storage, settings.Limits, settings.Roots) { RetrainOptions = settings.RetrainOptions };
builder.Services.AddSingleton(starterSettings);
// The champion's recommendations, loaded once per champion and shared by every request of this worker.
builder.Services.AddSingleton(new HmRec.Activities.Champion.ChampionServing(HmRec.Activities.Champion.ChampionStore.In(starterSettings.RunsRoot, storage?.Mirror.Client)));
// Each activity's DuckDB gets its share of the cores: host.json's (or its app setting's) activities at once.
AnalyticsSession.ShareMachine(HostSettings.Load(AppContext.BaseDirectory, Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value)).DurableTask.MaxConcurrentActivityFunctions);
builder.Services.AddSingleton(services => new PipelineActivities(storage: storage, gpuJob: gpuJob, loggers: services.GetRequiredService<ILoggerFactory>()));
// Telemetry through OpenTelemetry (host.json's telemetryMode): the worker's traces and logs, HmRec's included, go to
// Application Insights when the app has its connection setting (the Bicep template sets it).
var telemetry = builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("APPLICATIONINSIGHTS_CONNECTION_STRING")))
{
    telemetry.UseAzureMonitorExporter();
}
await builder.Build().RunAsync();

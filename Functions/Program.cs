using HmRec.Activities.Common;
using HmRec.Activities.Training.TwoTower;
using HmRec.Functions;
using HmRec.Orchestrators;
using HmRec.Shared.Blob;
using HmRec.Shared.Options;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The Functions host runs this worker; the Durable Task extension hosts the orchestrators and activities, whose
// functions are the thin wrappers in this project.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
var settings = FunctionSettings.FromEnvironment();
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(_ => settings.RunStorage is { } connection
    ? new RunStorage(new BlobMirror(BlobStorage.OpenContainerAsync(connection, FunctionSettings.Container).GetAwaiter().GetResult()))
    : null!);
builder.Services.AddSingleton(sp => settings.GpuJob is { } job
    ? job.Connect(sp.GetRequiredService<RunStorage>().Mirror.Client, Environment.GetEnvironmentVariable("AZURE_CLIENT_ID"))
    : null!);
// Each activity's DuckDB gets its share of the cores: host.json's (or its app setting's) activities at once.
AnalyticsSession.ShareMachine(HostSettings.Load(AppContext.BaseDirectory, Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value)).DurableTask.MaxConcurrentActivityFunctions);
builder.Services.AddSingleton(sp => new PipelineActivities(storage: sp.GetService<RunStorage>(), gpuJob: sp.GetService<ContainerAppsJob>()));
await builder.Build().RunAsync();

using HmRec.Activities.Common;
using HmRec.Activities.Training.TwoTower;
using HmRec.Functions;
using HmRec.Orchestrators;
using HmRec.Shared.Blob;
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
builder.Services.AddSingleton(sp => new PipelineActivities(storage: sp.GetService<RunStorage>(), gpuJob: sp.GetService<ContainerAppsJob>()));
await builder.Build().RunAsync();

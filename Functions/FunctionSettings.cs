using HmRec.Activities.Training.TwoTower;
using HmRec.Shared.Blob;
using HmRec.Shared.Options;
using HmRec.Activities.Options;

namespace HmRec.Functions;

/// <summary>The app settings the Functions app reads (the Functions host reads host.json and the durable settings itself).</summary>
/// <param name="Store">HMREC_STORE: a local folder for scratch copies of runs and generated data (default: the temp folder).</param>
/// <param name="DataConnection">HMREC_DATA_CONNECTION: the input of runs started without <c>data</c>, a folder.</param>
/// <param name="RunStorage">
/// The AzureWebJobsStorage connection (a connection string, or identity-based: <c>AzureWebJobsStorage__accountName</c> or
/// <c>__blobServiceUri</c> with <c>__credential</c> and <c>__clientId</c>): runs then live in its blob container
/// <see cref="Container"/>, so that every instance of the app sees them. Null when the host runs on a local store only.
/// </param>
/// <param name="GpuJob">
/// HMREC_TWO_TOWER_BACKEND=containerapps: the two-tower network trains as an execution of the Container Apps job
/// HMREC_GPU_JOB_ID (started with the app's identity, AZURE_CLIENT_ID); null (the default, <c>process</c>) runs the
/// worker as a local process.
/// </param>
public sealed record FunctionSettings(string Store, string? DataConnection, StorageConnection? RunStorage, ContainerAppsJobSettings? GpuJob = null)
{
    /// <summary>The limits on what a start request may ask (defaults when not given).</summary>
    public HostLimits Limits { get; init; } = new();

    /// <summary>HMREC_RETRAIN_OPTIONS: the weekly retrain's options (the defaults when not given).</summary>
    public PipelineOptions RetrainOptions { get; init; } = new();

    /// <summary>The folders a start request's data and embeddings may come from.</summary>
    public DataRoots Roots => DataRoots.For(Limits.DataRoots, Store);

    /// <summary>The blob container of the runs and of uploaded input data.</summary>
    public const string Container = "hmrec";

    public static FunctionSettings FromEnvironment() => FromSettings(Environment.GetEnvironmentVariable);

    /// <summary>Reads and checks the settings; a bad one fails with a message that names it.</summary>
    public static FunctionSettings FromSettings(Func<string, string?> setting)
    {
        string? Value(string name) => setting(name) is { Length: > 0 } v ? v : null;
        var storage = StorageConnection.FromSettings("AzureWebJobsStorage", setting);
        var gpuJob = ContainerAppsJobSettings.ForBackend(setting, runsInBlobStorage: storage is not null);
        return new FunctionSettings(Value("HMREC_STORE") ?? Path.Combine(Path.GetTempPath(), "hmrec"), Value("HMREC_DATA_CONNECTION"), storage, gpuJob)
        {
            Limits = HostLimits.FromSettings(Value),
            RetrainOptions = HmRec.Orchestrators.Pipeline.StarterSettings.ParseRetrainOptions(Value("HMREC_RETRAIN_OPTIONS")),
        };
    }
}

using HmRec.Shared.Blob;

namespace HmRec.Shared.Options;

/// <summary>local.settings.json <c>Values</c> (and the same names as environment variables).</summary>
public sealed record AppSettings
{
    /// <summary><c>AzureWebJobsStorage</c>: a storage connection string, or <c>UseDevelopmentStorage=true</c> for Azurite; empty uses the local store folder.</summary>
    public string? AzureWebJobsStorage { get; init; }

    /// <summary>
    /// The <c>AzureWebJobsStorage</c> connection read as the Functions host reads it: the connection string, or identity-based
    /// settings (<c>AzureWebJobsStorage__accountName</c> or <c>__blobServiceUri</c>/<c>__queueServiceUri</c>/<c>__tableServiceUri</c>,
    /// <c>__credential</c>, <c>__clientId</c>); null uses the local store folder.
    /// </summary>
    public StorageConnection? Storage
    {
        get => storage ?? (AzureWebJobsStorage is { } s ? StorageConnection.FromConnectionString(s, "AzureWebJobsStorage") : null);
        init => storage = value;
    }

    private readonly StorageConnection? storage;

    /// <summary><c>HMREC_STORE</c>: the local folder for data, runs and the embedded Azurite that holds the task hub when <c>AzureWebJobsStorage</c> is not set.</summary>
    public string Store { get; init; } = ".hmrec";

    /// <summary><c>HMREC_DATA_CONNECTION</c>: where input data and artefacts live, when not the store folder.</summary>
    public string? DataConnection { get; init; }

    /// <summary><c>HMREC_RETRAIN_SCHEDULE</c>: six-field NCRONTAB schedule of the weekly retrain.</summary>
    public string RetrainSchedule { get; init; } = "0 0 3 * * Mon";

    /// <summary>
    /// <c>HMREC_RETRAIN_OPTIONS</c>: the weekly retrain's option overrides, as the JSON body of a start names them
    /// (<c>{"training": {"maxRounds": 200}}</c>); unset, the defaults.
    /// </summary>
    public string? RetrainOptions { get; init; }

    /// <summary><c>WEBSITE_TIME_ZONE</c>: time zone of the schedule.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary><c>HMREC_FUNCTION_KEY</c>: key for <c>/api/*</c>. A secret: set it in local.settings.json or the environment, never in the repository.</summary>
    public string? FunctionKey { get; init; }

    /// <summary><c>HMREC_SYSTEM_KEY</c>: key for <c>/runtime/*</c>. A secret, like the function key.</summary>
    public string? SystemKey { get; init; }

    /// <summary>
    /// <c>HMREC_PUBLIC_BASE_URL</c> (or <c>https://</c> + <c>WEBSITE_HOSTNAME</c> on Azure): the address clients reach the host
    /// at, from which the management links of a 202 are built; unset, the address the host listens on. Links are never
    /// built from a request's Host header.
    /// </summary>
    public string? PublicBaseUrl { get; init; }

    /// <summary><c>HMREC_TWO_TOWER_BACKEND</c>: <c>process</c> (the default) or <c>containerapps</c>.</summary>
    public string? TwoTowerBackend { get; init; }

    /// <summary><c>HMREC_GPU_JOB_ID</c>: the Container Apps training job's resource id.</summary>
    public string? GpuJobId { get; init; }

    /// <summary><c>HMREC_ARM_ENDPOINT</c>: Resource Manager's endpoint (default: Azure's public cloud).</summary>
    public string? ArmEndpoint { get; init; }

    /// <summary><c>AZURE_CLIENT_ID</c>: the client id of the user-assigned identity that starts the job.</summary>
    public string? AzureClientId { get; init; }

    /// <summary>The limits on what a start request may ask (<see cref="HostLimits"/>).</summary>
    public HostLimits Limits { get; init; } = new();

    /// <summary><c>Host.LocalHttpPort</c>.</summary>
    public int HttpPort { get; init; } = 7071;
}

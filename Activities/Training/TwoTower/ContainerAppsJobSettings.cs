using System.Text.RegularExpressions;

namespace HmRec.Activities.Training.TwoTower;

/// <summary>
/// Where the two-tower network trains when a host dispatches it to an Azure Container Apps job rather than a local
/// process: the job's resource id (<c>HMREC_GPU_JOB_ID</c>), the Resource Manager endpoint (<c>HMREC_ARM_ENDPOINT</c>,
/// default https://management.azure.com; tests point it at a local server) and the REST API version.
/// </summary>
public sealed partial record ContainerAppsJobSettings(string JobResourceId, Uri ArmEndpoint)
{
    /// <summary>The Microsoft.App API version of every request.</summary>
    public const string ApiVersion = "2025-07-01";

    public const string BackendSetting = "HMREC_TWO_TOWER_BACKEND";
    public const string JobIdSetting = "HMREC_GPU_JOB_ID";
    public const string EndpointSetting = "HMREC_ARM_ENDPOINT";

    /// <summary>Azure's public-cloud Resource Manager.</summary>
    public static readonly Uri PublicCloud = new("https://management.azure.com/");

    /// <summary>The job's name (the last segment of its resource id).</summary>
    public string JobName => JobResourceId[(JobResourceId.LastIndexOf('/') + 1)..];

    /// <summary>The token scope of <see cref="ArmEndpoint"/>.</summary>
    public string Scope => ArmEndpoint.GetLeftPart(UriPartial.Authority) + "/.default";

    /// <summary>
    /// The backend <see cref="BackendSetting"/> chooses: null for <c>process</c> (the default: a local worker process), the
    /// job's settings for <c>containerapps</c>, which needs the runs in blob storage (<paramref name="runsInBlobStorage"/>).
    /// </summary>
    public static ContainerAppsJobSettings? ForBackend(Func<string, string?> setting, bool runsInBlobStorage) =>
        setting(BackendSetting)?.Trim().ToLowerInvariant() switch
        {
            null or "" or "process" => null,
            "containerapps" when !runsInBlobStorage => throw new ArgumentException($"{BackendSetting}=containerapps needs the runs in blob storage: set AzureWebJobsStorage (a connection string, or __accountName with an identity)."),
            "containerapps" => FromSettings(setting),
            var other => throw new ArgumentException($"{BackendSetting} must be process or containerapps (got '{other}')."),
        };

    /// <summary>The job as a client with the default Azure credential (the managed identity of <c>AZURE_CLIENT_ID</c> in Azure).</summary>
    public ContainerAppsJob Connect(Azure.Storage.Blobs.BlobContainerClient runs, string? clientId) =>
        new(this, new Azure.Identity.DefaultAzureCredential(new Azure.Identity.DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId }), runs);

    /// <summary>Reads and checks the settings; a missing or malformed one fails with a message that names it.</summary>
    public static ContainerAppsJobSettings FromSettings(Func<string, string?> setting)
    {
        var id = setting(JobIdSetting)?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            throw new ArgumentException($"{JobIdSetting} is not set: the Container Apps backend needs the training job's resource id (/subscriptions/{{id}}/resourceGroups/{{group}}/providers/Microsoft.App/jobs/{{name}}).");
        }
        if (!JobId().IsMatch(id))
        {
            throw new ArgumentException($"{JobIdSetting} must be a Container Apps job's resource id, /subscriptions/{{id}}/resourceGroups/{{group}}/providers/Microsoft.App/jobs/{{name}} (got '{id}').");
        }
        var endpoint = PublicCloud;
        if (setting(EndpointSetting)?.Trim() is { Length: > 0 } e
            && (!Uri.TryCreate(e, UriKind.Absolute, out endpoint!) || endpoint.Scheme is not ("https" or "http")))
        {
            throw new ArgumentException($"{EndpointSetting} must be an http(s) URL, like https://management.azure.com (got '{e}').");
        }
        return new ContainerAppsJobSettings(id.TrimEnd('/'), endpoint);
    }

    [GeneratedRegex("^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.App/jobs/[A-Za-z0-9-]+/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JobId();
}

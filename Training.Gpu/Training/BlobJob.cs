using HmRec.Shared.Blob;

namespace HmRec.Training.Gpu.Training;

/// <summary>
/// The worker as a container job would run it, on blob locations: <c>--features blob:{prefix}</c> is pulled
/// into a temporary folder (and <c>--labels blob:{name}</c> downloaded there), the job runs there, and its output folder is pushed to <c>--out blob:{prefix}</c>
/// (error.txt included when it failed); the temporary folder is deleted after. The output prefix is pulled
/// first and pushed again after every epoch, so a job that dies resumes from its last checkpoint when it
/// is run again, on this machine or another. The account comes from a connection string (<c>--storage</c>), else
/// from the environment's AzureWebJobsStorage connection: a connection string, or identity-based
/// (<c>AzureWebJobsStorage__blobServiceUri</c>, <c>__credential</c>, <c>__clientId</c>: a Container Apps job's managed identity).
/// </summary>
public static class BlobJob
{
    public const string Scheme = "blob:";

    public static bool IsBlob(string location) => location.StartsWith(Scheme, StringComparison.Ordinal);

    /// <summary>Runs <paramref name="train"/> on local copies of the blob locations of <paramref name="options"/>; returns its exit code.</summary>
    public static int Run(WorkerOptions options, string? connectionString, string container, Func<WorkerOptions, int> train)
    {
        var connection = connectionString is not null
            ? StorageConnection.FromConnectionString(connectionString, "--storage")
            : StorageConnection.FromEnvironment()
              ?? throw new ArgumentException("--features or --out is a blob: location, but no storage account is given (--storage, AzureWebJobsStorage, or AzureWebJobsStorage__blobServiceUri / __accountName with an identity).");
        var client = BlobStorage.OpenContainerAsync(connection, container).GetAwaiter().GetResult();
        var mirror = new BlobMirror(client);
        var work = Directory.CreateTempSubdirectory("hmrec-worker-").FullName;
        try
        {
            var local = options;
            if (IsBlob(options.Features))
            {
                var prefix = Prefix(options.Features);
                var features = Path.Combine(work, "features");
                if (mirror.PullAsync(prefix, features).GetAwaiter().GetResult() == 0)
                {
                    throw new ArgumentException($"--features: no blob under '{prefix}' in container '{container}'.");
                }
                local = local with { Features = features };
            }
            if (options.Labels is { } labels && IsBlob(labels))
            {
                var name = labels[Scheme.Length..].Trim('/');
                var path = Path.Combine(work, "labels.parquet");
                var blob = client.GetBlobClient(name);
                if (!blob.Exists().Value)
                {
                    throw new ArgumentException($"--labels: no blob '{name}' in container '{container}'.");
                }
                blob.DownloadTo(path);
                local = local with { Labels = path };
            }
            if (IsBlob(options.Output))
            {
                var output = Path.Combine(work, "out");
                var prefix = Prefix(options.Output);
                mirror.PullAsync(prefix, output).GetAwaiter().GetResult();
                // An earlier attempt's error no longer holds once this one runs.
                client.GetBlobClient(prefix + ModelFiles.WorkerError).DeleteIfExists();
                local = local with { Output = output, EpochSaved = () => mirror.PushAsync(output, prefix).GetAwaiter().GetResult() };
            }
            var code = train(local);
            if (IsBlob(options.Output))
            {
                mirror.PushAsync(local.Output, Prefix(options.Output)).GetAwaiter().GetResult();
            }
            return code;
        }
        catch (ArgumentException e) when (IsBlob(options.Output))
        {
            // A bad input location is the job's reported failure, like an error in training: whoever started the job
            // finds the reason beside the output, and does not start it again.
            client.GetBlobClient(Prefix(options.Output) + ModelFiles.WorkerError).Upload(BinaryData.FromString(e.Message + Environment.NewLine), overwrite: true);
            throw;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Prefix(string location) => location[Scheme.Length..].Trim('/') + "/";
}

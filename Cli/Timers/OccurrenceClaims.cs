using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace HmRec.Cli.Timers;

/// <summary>
/// Who starts a timer occurrence: the first host to create the occurrence's blob (a conditional create, atomic in
/// the storage account), so two hosts on one task hub never both start the same week. The task hub itself has no
/// atomic create of an instance id.
/// </summary>
internal sealed class OccurrenceClaims(StorageConnection account, string hubName, BlobClientOptions? options = null)
{
    /// <summary>The container of the claims, beside the task hub's own.</summary>
    public const string Container = "hmrec-timers";

    /// <summary>True when this call claimed <paramref name="instanceId"/>; false when another host had.</summary>
    public async Task<bool> ClaimAsync(string instanceId, CancellationToken cancellationToken)
    {
        var container = account.Container(Container, options);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            await container.GetBlobClient($"{hubName.ToLowerInvariant()}/{instanceId}").UploadAsync(
                BinaryData.FromString(Environment.MachineName + "-" + Environment.ProcessId),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }
}

using Azure;
using Azure.Storage.Blobs;

namespace HmRec.Shared.Blob;

/// <summary>Opening a storage account's blob service from a connection string (Azurite's <c>UseDevelopmentStorage=true</c> included).</summary>
public static class BlobStorage
{
    /// <summary>
    /// The container <paramref name="name"/> of the account <paramref name="connectionString"/> names, created when missing.
    /// A connection string that does not parse, a refused key and an endpoint that does not answer fail at once with an
    /// <see cref="ArgumentException"/> that says which (never the key itself).
    /// </summary>
    public static async Task<BlobContainerClient> OpenContainerAsync(string connectionString, string name, BlobClientOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        // The start-up check retries once and gives up soon; the container returned retries as usual.
        var check = new BlobClientOptions { Retry = { MaxRetries = 1, NetworkTimeout = TimeSpan.FromSeconds(20) } };
        BlobContainerClient container;
        try
        {
            container = new BlobContainerClient(connectionString, name, check);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException($"not a storage connection string: {e.Message}", e);
        }
        try
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 401 or 403)
        {
            throw new ArgumentException($"the storage account at {container.Uri.GetLeftPart(UriPartial.Authority)} refused the credentials ({e.Status} {e.ErrorCode}).", e);
        }
        catch (RequestFailedException e) when (e.Status == 0)
        {
            throw new ArgumentException($"the storage account at {container.Uri.GetLeftPart(UriPartial.Authority)} cannot be reached ({e.InnerException?.Message ?? e.Message}).", e);
        }
        catch (AggregateException e)
        {
            throw new ArgumentException($"the storage account at {container.Uri.GetLeftPart(UriPartial.Authority)} cannot be reached ({e.InnerExceptions[0].Message}).", e);
        }
        return new BlobContainerClient(connectionString, name, options ?? new BlobClientOptions());
    }
}

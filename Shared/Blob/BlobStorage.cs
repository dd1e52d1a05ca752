using Azure;
using Azure.Identity;

namespace HmRec.Shared.Blob;

/// <summary>Opening a storage account's blob container, from a connection string (Azurite's <c>UseDevelopmentStorage=true</c> included) or an identity-based <see cref="StorageConnection"/>.</summary>
public static class BlobStorage
{
    /// <summary>The container <paramref name="name"/> of the account <paramref name="connectionString"/> names; see <see cref="OpenContainerAsync(StorageConnection, string, BlobClientOptions?, CancellationToken)"/>.</summary>
    public static Task<BlobContainerClient> OpenContainerAsync(string connectionString, string name, BlobClientOptions? options = null,
        CancellationToken cancellationToken = default) =>
        OpenContainerAsync(StorageConnection.FromConnectionString(connectionString), name, options, cancellationToken);

    /// <summary>
    /// The container <paramref name="name"/> of the account <paramref name="connection"/> reaches, created when missing.
    /// A connection string that does not parse, refused credentials and an endpoint that does not answer fail at once with an
    /// <see cref="ArgumentException"/> that says which (never the key itself).
    /// </summary>
    public static async Task<BlobContainerClient> OpenContainerAsync(StorageConnection connection, string name, BlobClientOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        // The start-up check retries once and gives up soon; the container returned retries as usual.
        var check = new BlobClientOptions { Retry = { MaxRetries = 1, NetworkTimeout = TimeSpan.FromSeconds(20) } };
        BlobContainerClient container;
        try
        {
            container = connection.Container(name, check);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException($"not a storage connection string: {e.Message}", e);
        }
        var account = container.Uri.GetLeftPart(UriPartial.Authority);
        try
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 401 or 403)
        {
            throw new ArgumentException($"the storage account at {account} refused the credentials of {connection.Description} ({e.Status} {e.ErrorCode}).", e);
        }
        catch (RequestFailedException e) when (e.Status == 0)
        {
            throw new ArgumentException($"the storage account at {account} cannot be reached ({e.InnerException?.Message ?? e.Message}).", e);
        }
        catch (AuthenticationFailedException e)
        {
            throw new ArgumentException($"no token for the storage account at {account} from {connection.Description}: {FirstLine(e.Message)}", e);
        }
        catch (AggregateException e)
        {
            throw new ArgumentException($"the storage account at {account} cannot be reached ({e.InnerExceptions[0].Message}).", e);
        }
        return connection.Container(name, options);
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}

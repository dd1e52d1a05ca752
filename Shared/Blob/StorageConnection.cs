using Azure.Core;
using Azure.Identity;

namespace HmRec.Shared.Blob;

/// <summary>
/// How to reach a storage account's blob service, read from settings the way the Functions host reads a
/// connection named <c>AzureWebJobsStorage</c>: either the setting itself holds a connection string (Azurite's
/// <c>UseDevelopmentStorage=true</c> included), or it is identity-based: <c>{name}__blobServiceUri</c> or
/// <c>{name}__accountName</c> gives the endpoint and <c>{name}__credential</c> = <c>managedidentity</c> (with
/// <c>{name}__clientId</c> for a user-assigned identity) the credential; without <c>__credential</c> the
/// default Azure credential chain is used (environment, workload or managed identity, Azure CLI).
/// </summary>
public sealed class StorageConnection
{
    private StorageConnection(string? connectionString, Uri? blobServiceUri, TokenCredential? credential, string description,
        Uri? queueServiceUri = null, Uri? tableServiceUri = null)
    {
        ConnectionString = connectionString;
        BlobServiceUri = blobServiceUri;
        QueueServiceUri = queueServiceUri;
        TableServiceUri = tableServiceUri;
        Credential = credential;
        Description = description;
    }

    /// <summary>The connection string, when the connection is one.</summary>
    public string? ConnectionString { get; }

    /// <summary>The blob endpoint of an identity-based connection.</summary>
    public Uri? BlobServiceUri { get; }

    /// <summary>The queue endpoint of an identity-based connection (the task hub's queues), when known.</summary>
    public Uri? QueueServiceUri { get; }

    /// <summary>The table endpoint of an identity-based connection (the task hub's tables), when known.</summary>
    public Uri? TableServiceUri { get; }

    /// <summary>The credential of an identity-based connection.</summary>
    public TokenCredential? Credential { get; }

    /// <summary>Which settings the connection came from, for messages (never a key).</summary>
    public string Description { get; }

    /// <summary>True when the connection authenticates with an identity rather than a key.</summary>
    public bool IsIdentityBased => BlobServiceUri is not null;

    /// <summary>A connection from a connection string.</summary>
    public static StorageConnection FromConnectionString(string connectionString, string description = "the connection string") =>
        new(connectionString, null, null, description);

    /// <summary>An identity-based connection to <paramref name="blobServiceUri"/> with <paramref name="credential"/>.</summary>
    public static StorageConnection FromIdentity(Uri blobServiceUri, TokenCredential credential, string description = "the blob service URI",
        Uri? queueServiceUri = null, Uri? tableServiceUri = null) =>
        new(null, blobServiceUri, credential, description, queueServiceUri, tableServiceUri);

    /// <summary>The connection named <paramref name="name"/> in the process environment, or null when none of its settings is set.</summary>
    public static StorageConnection? FromEnvironment(string name = "AzureWebJobsStorage") =>
        FromSettings(name, Environment.GetEnvironmentVariable);

    /// <summary>
    /// The connection named <paramref name="name"/> in <paramref name="setting"/> (a setting's value by name), or null when
    /// none of its settings is set. Settings that contradict each other or do not parse fail with an
    /// <see cref="ArgumentException"/> that names the setting.
    /// </summary>
    public static StorageConnection? FromSettings(string name, Func<string, string?> setting)
    {
        string? Value(string key) => setting(key) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var connectionString = Value(name);
        var serviceUri = Value(name + "__blobServiceUri") ?? Value(name + "__serviceUri");
        var accountName = Value(name + "__accountName");
        if (connectionString is not null)
        {
            return FromConnectionString(connectionString, name);
        }
        if (serviceUri is null && accountName is null)
        {
            return null;
        }
        Uri endpoint;
        string source;
        if (serviceUri is not null)
        {
            source = name + "__blobServiceUri";
            if (!Uri.TryCreate(serviceUri, UriKind.Absolute, out endpoint!) || endpoint.Scheme != "https")
            {
                // Azure.Storage sends a token over HTTPS only.
                throw new ArgumentException($"{source} must be the account's https blob endpoint, like https://myaccount.blob.core.windows.net (got '{serviceUri}').");
            }
        }
        else
        {
            source = name + "__accountName";
            if (accountName!.Length is < 3 or > 24 || !accountName.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c)))
            {
                throw new ArgumentException($"{source} must be a storage account name: 3 to 24 lower-case letters and digits (got '{accountName}').");
            }
            endpoint = new Uri($"https://{accountName}.blob.core.windows.net/");
        }
        // The queue and table endpoints (the task hub's): named, else those of the account.
        Uri? Service(string kind, string? account)
        {
            var setting = $"{name}__{kind}ServiceUri";
            if (Value(setting) is { } text)
            {
                return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == "https"
                    ? uri
                    : throw new ArgumentException($"{setting} must be the account's https {kind} endpoint, like https://myaccount.{kind}.core.windows.net (got '{text}').");
            }
            if (account is not null)
            {
                return new Uri($"https://{account}.{kind}.core.windows.net/");
            }
            // A blob endpoint of Azure's usual form names the account.
            return endpoint.Host.Contains(".blob.", StringComparison.OrdinalIgnoreCase)
                ? new UriBuilder(endpoint) { Host = endpoint.Host.Replace(".blob.", $".{kind}.", StringComparison.OrdinalIgnoreCase) }.Uri
                : null;
        }
        var queue = Service("queue", serviceUri is null ? accountName : null);
        var table = Service("table", serviceUri is null ? accountName : null);
        var clientId = Value(name + "__clientId");
        TokenCredential credential = Value(name + "__credential") switch
        {
            null => new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId }),
            var c when c.Equals("managedidentity", StringComparison.OrdinalIgnoreCase) => clientId is null
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId)),
            var c => throw new ArgumentException($"{name}__credential must be 'managedidentity' or unset (got '{c}')."),
        };
        return FromIdentity(endpoint, credential, $"{source} (identity-based)", queue, table);
    }

    /// <summary>A client of the blob container <paramref name="container"/> over this connection.</summary>
    public BlobContainerClient Container(string container, BlobClientOptions? options = null)
    {
        options ??= new BlobClientOptions();
        return ConnectionString is not null
            ? new BlobContainerClient(ConnectionString, container, options)
            : new BlobContainerClient(new Uri(BlobServiceUri!.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(container)), Credential, options);
    }
}

namespace HmRec.Shared.Blob;

/// <summary>
/// A storage account as a connection string names it: <c>UseDevelopmentStorage=true</c> (Azurite's
/// well-known development account on 127.0.0.1:10000), or <c>AccountName</c> and <c>AccountKey</c> with
/// <c>BlobEndpoint</c>, or <c>DefaultEndpointsProtocol</c> and <c>EndpointSuffix</c>.
/// </summary>
public sealed record StorageAccount(string Name, byte[] Key, Uri BlobEndpoint)
{
    /// <summary>Azurite's development account: a fixed, published name and key, not a secret.</summary>
    public const string DevelopmentAccount = "devstoreaccount1";

    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Parses a connection string; a missing or malformed part throws naming it (never echoing the key).</summary>
    public static StorageAccount Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"The storage connection string has a part without '=' ('{(item.Length > 20 ? item[..20] + "..." : item)}'); expected Name=Value pairs separated by ';'.");
            }
            parts[item[..equals]] = item[(equals + 1)..];
        }
        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && dev.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            var proxy = parts.TryGetValue("DevelopmentStorageProxyUri", out var p) ? p.TrimEnd('/') : "http://127.0.0.1";
            return new StorageAccount(DevelopmentAccount, Convert.FromBase64String(DevelopmentKey), new Uri($"{proxy}:10000/{DevelopmentAccount}/"));
        }
        if (!parts.TryGetValue("AccountName", out var name) || name.Length == 0)
        {
            throw new ArgumentException("The storage connection string has no AccountName (or UseDevelopmentStorage=true).");
        }
        if (!parts.TryGetValue("AccountKey", out var keyText) || keyText.Length == 0)
        {
            throw new ArgumentException($"The storage connection string of account '{name}' has no AccountKey.");
        }
        byte[] key;
        try
        {
            key = Convert.FromBase64String(keyText);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"The AccountKey of account '{name}' is not base64.");
        }
        Uri endpoint;
        if (parts.TryGetValue("BlobEndpoint", out var blob))
        {
            if (!Uri.TryCreate(blob.EndsWith('/') ? blob : blob + "/", UriKind.Absolute, out endpoint!) || endpoint.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"The BlobEndpoint of account '{name}' is not an http(s) URL.");
            }
        }
        else
        {
            var protocol = parts.TryGetValue("DefaultEndpointsProtocol", out var proto) ? proto : "https";
            var suffix = parts.TryGetValue("EndpointSuffix", out var s) ? s : "core.windows.net";
            endpoint = new Uri($"{protocol}://{name}.blob.{suffix}/");
        }
        return new StorageAccount(name, key, endpoint);
    }

    /// <summary>The account with another blob endpoint (Azurite on a port of a test's choosing).</summary>
    public StorageAccount WithEndpoint(Uri endpoint) => this with { BlobEndpoint = endpoint };
}

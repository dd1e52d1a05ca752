using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs.Models;

namespace HmRec.Shared.Blob;

/// <summary>
/// Keeps a local folder and a blob prefix in step (Azure.Storage.Blobs): <see cref="PullAsync(string, string, CancellationToken)"/> downloads the blobs
/// that this worker does not hold yet in the version the container has (the ETag it last pulled or pushed, cached per
/// worker), <see cref="PushAsync"/> uploads the files that changed since this mirror last pushed or pulled them.
/// Temporary files (<c>*.tmp-*</c>) and scratch folders (<c>.scratch-*</c>) are never copied. Downloads go to a
/// temporary name and are renamed, so a reader never sees half a file.
/// </summary>
public sealed class BlobMirror(BlobContainerClient container)
{
    /// <summary>Per local file: its length and write time when synced, and the blob's ETag then.</summary>
    private readonly ConcurrentDictionary<string, (long Length, DateTime Written, ETag ETag)> synced = new(StringComparer.Ordinal);

    /// <summary>The container's name.</summary>
    public string Container => container.Name;

    /// <summary>The container.</summary>
    public BlobContainerClient Client => container;

    /// <summary>
    /// Downloads every blob under <paramref name="prefix"/> that <paramref name="directory"/> lacks or holds in another
    /// version than the container's; returns how many it downloaded.
    /// </summary>
    public Task<int> PullAsync(string prefix, string directory, CancellationToken cancellationToken = default) => PullAsync(prefix, directory, null, cancellationToken);

    /// <summary>
    /// Downloads the blobs under <paramref name="prefix"/> whose path after it <paramref name="include"/> accepts (all when
    /// null) and that <paramref name="directory"/> lacks or holds in another version than the container's; returns how many.
    /// </summary>
    public async Task<int> PullAsync(string prefix, string directory, Func<string, bool>? include, CancellationToken cancellationToken = default)
    {
        var pulled = 0;
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).ConfigureAwait(false))
        {
            var relative = blob.Name[prefix.Length..];
            if (Skipped(relative) || (include is not null && !include(relative)))
            {
                continue;
            }
            var path = Path.Combine(directory, relative.Replace('/', Path.DirectorySeparatorChar));
            var info = new FileInfo(path);
            var etag = blob.Properties.ETag ?? default;
            if (info.Exists && synced.TryGetValue(path, out var known) && known == (info.Length, info.LastWriteTimeUtc, etag))
            {
                continue; // this worker holds the container's version already
            }
            if (info.Exists && !synced.ContainsKey(path) && info.Length == blob.Properties.ContentLength)
            {
                // Written here before this mirror knew it (the run's own files are written once, under their final name
                // only when complete): the same file.
                synced[path] = (info.Length, info.LastWriteTimeUtc, etag);
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
            try
            {
                var download = await container.GetBlobClient(blob.Name).DownloadToAsync(temp, cancellationToken).ConfigureAwait(false);
                File.Move(temp, path, overwrite: true);
                etag = download.Headers.ETag ?? etag;
            }
            finally
            {
                File.Delete(temp);
            }
            info.Refresh();
            synced[path] = (info.Length, info.LastWriteTimeUtc, etag);
            pulled++;
        }
        return pulled;
    }

    /// <summary>Uploads the files of <paramref name="directory"/> that changed since they were last synced; returns how many.</summary>
    public async Task<int> PushAsync(string directory, string prefix, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }
        var pushed = 0;
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(directory, path).Replace(Path.DirectorySeparatorChar, '/');
            if (Skipped(relative))
            {
                continue;
            }
            var info = new FileInfo(path);
            if (synced.TryGetValue(path, out var known) && (known.Length, known.Written) == (info.Length, info.LastWriteTimeUtc))
            {
                continue;
            }
            var uploaded = await container.GetBlobClient(prefix + relative).UploadAsync(path, overwrite: true, cancellationToken).ConfigureAwait(false);
            synced[path] = (info.Length, info.LastWriteTimeUtc, uploaded.Value.ETag);
            pushed++;
        }
        return pushed;
    }

    /// <summary>Forgets what was synced under <paramref name="directory"/> (after it was deleted).</summary>
    public void Forget(string directory)
    {
        foreach (var key in synced.Keys.Where(k => k.StartsWith(directory, StringComparison.Ordinal)))
        {
            synced.TryRemove(key, out _);
        }
    }

    private static bool Skipped(string relative) =>
        relative.Contains(".tmp-", StringComparison.Ordinal) || relative.Split('/').Any(p => p.StartsWith(".scratch-", StringComparison.Ordinal));
}

using System.Collections.Concurrent;

namespace HmRec.Shared.Blob;

/// <summary>
/// Keeps a local folder and a blob prefix in step: <see cref="PullAsync"/> downloads the blobs the folder
/// lacks (or holds at another size); <see cref="PushAsync"/> uploads the files that changed since this
/// mirror last pushed or pulled them. Temporary files (<c>*.tmp-*</c>) and scratch folders (<c>.scratch-*</c>)
/// are never copied. Downloads go to a temporary name and are renamed, so a reader never sees half a file.
/// </summary>
public sealed class BlobMirror(BlobClient client, string container)
{
    private readonly ConcurrentDictionary<string, (long Length, DateTime Written)> synced = new(StringComparer.Ordinal);

    public string Container { get; } = container;

    /// <summary>Downloads every blob under <paramref name="prefix"/> missing from <paramref name="directory"/>; returns how many.</summary>
    public async Task<int> PullAsync(string prefix, string directory, CancellationToken cancellationToken = default)
    {
        var pulled = 0;
        await foreach (var blob in client.ListAsync(Container, prefix, cancellationToken: cancellationToken))
        {
            var relative = blob.Name[prefix.Length..];
            if (Skipped(relative))
            {
                continue;
            }
            var path = Path.Combine(directory, relative.Replace('/', Path.DirectorySeparatorChar));
            var info = new FileInfo(path);
            if (info.Exists && info.Length == blob.Length)
            {
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
            try
            {
                await using (var file = File.Create(temp))
                {
                    await client.DownloadToAsync(Container, blob.Name, file, cancellationToken);
                }
                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }
            info.Refresh();
            synced[path] = (info.Length, info.LastWriteTimeUtc);
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
            if (synced.TryGetValue(path, out var known) && known == (info.Length, info.LastWriteTimeUtc))
            {
                continue;
            }
            await using (var file = File.OpenRead(path))
            {
                await client.UploadAsync(Container, prefix + relative, file, cancellationToken: cancellationToken);
            }
            synced[path] = (info.Length, info.LastWriteTimeUtc);
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

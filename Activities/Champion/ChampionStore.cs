using Azure;
using Azure.Storage.Blobs;

namespace HmRec.Activities.Champion;

/// <summary>What the champion is: the run whose recommendations are served, the one before it, and why it changed.</summary>
/// <param name="RunId">The champion run.</param>
/// <param name="Previous">The champions before it, latest first (what a rollback returns to).</param>
/// <param name="Changed">When the champion last changed (UTC).</param>
/// <param name="Reason">Why it changed: the run's promotion decision, or a promotion or rollback by hand.</param>
public sealed record ChampionPointer(string RunId, IReadOnlyList<string> Previous, DateTime Changed, string Reason);

/// <summary>A champion's description, written with its files and never changed after.</summary>
/// <param name="RunId">The run it comes from.</param>
/// <param name="DataLastDay">The last day of the run's data (its cutoff: the recommendations are for the week after).</param>
/// <param name="Model">The run's best LightGBM ranker: kept, with its feature names, to score later runs' validation weeks.</param>
/// <param name="Map12">That ranker's MAP@12 on the run's validation week.</param>
/// <param name="RuleMap12">The whole-history rule's MAP@12 on the same week.</param>
/// <param name="Fallback">The 12 articles of a customer the submission does not name (the week's best sellers).</param>
/// <param name="Customers">Customers in the submission.</param>
/// <param name="Reason">Why it was promoted.</param>
public sealed record ChampionManifest(string RunId, DateOnly DataLastDay, string Model, double Map12, double RuleMap12, IReadOnlyList<string> Fallback,
    long Customers, string Reason);

/// <summary>
/// The champion in the store: <c>champion/runs/{id}/</c> holds each champion's files (manifest.json, submission.csv,
/// model.txt and features.json), written whole and never changed after; <c>champion/current.json</c> names the current
/// one and is replaced atomically; <c>champion/history/{id}.json</c> keeps every run's promotion decision. A reader
/// reads the pointer, then that champion's folder, so it sees the old champion or the new, never a mix. Changes are
/// serialised by a lock between processes and machines.
/// <para>
/// On the file system (<paramref name="blobs"/> null) the folders are written into a temporary folder and renamed into
/// place, the pointer is replaced by a rename, and the lock is a file opened for exclusive use (<c>champion/.lock</c>).
/// With runs in blob storage the same names are blobs of the runs' container under <c>champion/</c>: a champion's folder
/// is uploaded with its manifest last and the pointer after it (one blob upload, atomic), a reader downloads a
/// champion's folder into <paramref name="root"/> (its local cache, filled whole and renamed) before reading it, and
/// the lock is a lease on the blob <c>champion/lock</c>, renewed while held.
/// </para>
/// </summary>
/// <param name="root">The store's local folder: the store itself, or the cache of the blob store.</param>
/// <param name="blobs">The runs' container when the store lives in blob storage.</param>
public sealed class ChampionStore(string root, BlobContainerClient? blobs = null)
{
    public const string ManifestFile = "manifest.json";
    public const string SubmissionFile = "submission.csv";
    public const string ModelFile = ModelFiles.RankerModel;
    public const string FeaturesFile = "features.json";

    /// <summary>The blob prefix of the store in the runs' container.</summary>
    public const string Prefix = "champion/";

    /// <summary>The store's local folder (<c>champion/</c> beside <c>runs/</c>).</summary>
    public string Root => root;

    /// <summary>The folder holding the store and <c>runs/</c>.</summary>
    public string RunsRoot => Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)))!;

    /// <summary>The runs' container when the store lives in blob storage, else null.</summary>
    public BlobContainerClient? Blobs => blobs;

    private string PointerPath => Path.Combine(root, "current.json");

    /// <summary>The champion store beside the runs of <paramref name="runsRoot"/> (the folder holding <c>runs/</c>).</summary>
    public static ChampionStore In(string runsRoot, BlobContainerClient? blobs = null) => new(Path.Combine(runsRoot, "champion"), blobs);

    /// <summary>The champion store of the runs folder that holds <paramref name="runDirectory"/> (<c>{root}/runs/{id}</c>).</summary>
    public static ChampionStore ForRun(string runDirectory, BlobContainerClient? blobs = null) =>
        In(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(runDirectory))!)!, blobs);

    /// <summary>
    /// The local folder of champion <paramref name="runId"/>'s files; from blob storage it is downloaded first (once:
    /// the files never change).
    /// </summary>
    public string Local(string runId)
    {
        var target = Path.Combine(root, "runs", runId);
        if (blobs is null || System.IO.Directory.Exists(target))
        {
            return target;
        }
        var temporary = AtomicFile.TempPath(target);
        System.IO.Directory.CreateDirectory(temporary);
        try
        {
            var prefix = $"{Prefix}runs/{runId}/";
            foreach (var blob in blobs.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, default))
            {
                blobs.GetBlobClient(blob.Name).DownloadTo(Path.Combine(temporary, blob.Name[prefix.Length..]));
            }
            if (!File.Exists(Path.Combine(temporary, ManifestFile)))
            {
                throw new InvalidOperationException($"Run {runId} is not installed in the champion store (no blob {prefix}{ManifestFile} in container '{blobs.Name}').");
            }
            System.IO.Directory.Move(temporary, target);
        }
        catch (IOException) when (System.IO.Directory.Exists(target))
        {
            // Another reader cached it first.
        }
        finally
        {
            if (System.IO.Directory.Exists(temporary))
            {
                System.IO.Directory.Delete(temporary, recursive: true);
            }
        }
        return target;
    }

    /// <summary>The current champion, or null when there is none yet.</summary>
    public ChampionPointer? Current()
    {
        if (blobs is not null)
        {
            try
            {
                return JsonSerializer.Deserialize<ChampionPointer>(blobs.GetBlobClient(Prefix + "current.json").DownloadContent().Value.Content.ToMemory().Span);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return null;
            }
        }
        try
        {
            return JsonSerializer.Deserialize<ChampionPointer>(File.ReadAllText(PointerPath));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Champion <paramref name="runId"/>'s manifest.</summary>
    public ChampionManifest Manifest(string runId)
    {
        var path = Path.Combine(Local(runId), ManifestFile);
        return JsonSerializer.Deserialize<ChampionManifest>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
    }

    /// <summary>
    /// Holds the store's lock until disposed: one change at a time, across processes and machines (waits up to
    /// <paramref name="timeout"/>, then fails naming the lock).
    /// </summary>
    public IDisposable Lock(TimeSpan timeout) => blobs is null ? FileLock(timeout) : BlobLock.Acquire(blobs.GetBlobClient(Prefix + "lock"), timeout);

    private FileStream FileLock(TimeSpan timeout)
    {
        System.IO.Directory.CreateDirectory(root);
        var path = Path.Combine(root, ".lock");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (clock.Elapsed < timeout)
            {
                Thread.Sleep(50);
            }
            catch (IOException e)
            {
                throw new IOException($"The champion store is locked by another process ({path}) for over {timeout.TotalSeconds:F0} s.", e);
            }
        }
    }

    /// <summary>
    /// Copies a finished run's champion files into <c>champion/runs/{id}/</c> (unless they are there already): its
    /// submission, its <paramref name="manifest"/>, and its ranker's model and feature names when it has them.
    /// </summary>
    public void Install(string runDirectory, ChampionManifest manifest, string? modelFile, IReadOnlyList<string>? featureNames)
    {
        var target = Path.Combine(root, "runs", manifest.RunId);
        if (!System.IO.Directory.Exists(target))
        {
            var temporary = AtomicFile.TempPath(target);
            System.IO.Directory.CreateDirectory(temporary);
            try
            {
                File.Copy(new RunLayout(runDirectory).Submission, Path.Combine(temporary, SubmissionFile));
                if (modelFile is not null && featureNames is not null)
                {
                    File.Copy(modelFile, Path.Combine(temporary, ModelFile));
                    File.WriteAllText(Path.Combine(temporary, FeaturesFile), JsonSerializer.Serialize(featureNames));
                }
                JsonFile.Write(Path.Combine(temporary, ManifestFile), manifest);
                System.IO.Directory.Move(temporary, target);
            }
            catch
            {
                System.IO.Directory.Delete(temporary, recursive: true);
                throw;
            }
        }
        if (blobs is not null && !Installed(manifest.RunId))
        {
            // The manifest last: a folder without it is not installed, whatever else was uploaded before a crash.
            var prefix = $"{Prefix}runs/{manifest.RunId}/";
            foreach (var file in System.IO.Directory.EnumerateFiles(target).Where(f => Path.GetFileName(f) != ManifestFile).Append(Path.Combine(target, ManifestFile)))
            {
                blobs.GetBlobClient(prefix + Path.GetFileName(file)).Upload(file, overwrite: true);
            }
        }
    }

    private bool Installed(string runId) => blobs is null
        ? File.Exists(Path.Combine(root, "runs", runId, ManifestFile))
        : blobs.GetBlobClient($"{Prefix}runs/{runId}/{ManifestFile}").Exists().Value;

    /// <summary>Makes installed champion <paramref name="runId"/> the current one (the current one becomes the previous). Call under <see cref="Lock"/>.</summary>
    public ChampionPointer Swap(string runId, string reason, DateTime now)
    {
        if (!Installed(runId))
        {
            throw new InvalidOperationException($"Run {runId} is not installed in the champion store {(blobs is null ? root : $"of container '{blobs.Name}'")}.");
        }
        var current = Current();
        if (current?.RunId == runId)
        {
            return current;
        }
        return Point(new ChampionPointer(runId, current is null ? [] : [current.RunId, .. current.Previous], now, reason));
    }

    /// <summary>Returns to the previous champion. Call under <see cref="Lock"/>.</summary>
    public ChampionPointer Rollback(DateTime now)
    {
        var current = Current() ?? throw new InvalidOperationException("There is no champion to roll back.");
        if (current.Previous.Count == 0)
        {
            throw new InvalidOperationException($"Champion {current.RunId} is the first: there is none before it to roll back to.");
        }
        return Point(new ChampionPointer(current.Previous[0], [.. current.Previous.Skip(1)], now, $"rolled back from {current.RunId}"));
    }

    private ChampionPointer Point(ChampionPointer pointer)
    {
        Write("current.json", JsonFile.Serialize(pointer));
        return pointer;
    }

    /// <summary>Keeps run <paramref name="decision"/>'s promotion decision in the history (replacing an earlier one of the same run).</summary>
    public void Record(PromotionDecision decision) => Write($"history/{decision.RunId}.json", JsonFile.Serialize(decision));

    /// <summary>Every run's promotion decision, by the last day of its data, then by run id.</summary>
    public IReadOnlyList<PromotionDecision> History()
    {
        IEnumerable<string> texts;
        if (blobs is not null)
        {
            texts = blobs.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, Prefix + "history/", default).Where(b => b.Name.EndsWith(".json", StringComparison.Ordinal))
                .Select(b => blobs.GetBlobClient(b.Name).DownloadContent().Value.Content.ToString());
        }
        else
        {
            var folder = Path.Combine(root, "history");
            texts = System.IO.Directory.Exists(folder) ? System.IO.Directory.EnumerateFiles(folder, "*.json").Select(File.ReadAllText) : [];
        }
        return [.. texts.Select(t => JsonSerializer.Deserialize<PromotionDecision>(t)!).OrderBy(d => d.DataLastDay).ThenBy(d => d.RunId, StringComparer.Ordinal)];
    }

    /// <summary>Replaces one file of the store (root-relative, '/'-separated) whole: a rename on disk, one upload in blob storage.</summary>
    private void Write(string relative, string text)
    {
        if (blobs is not null)
        {
            blobs.GetBlobClient(Prefix + relative).Upload(BinaryData.FromString(text), overwrite: true);
            return;
        }
        AtomicFile.WriteAllText(Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar)), text);
    }
}

/// <summary>
/// A lease on a blob held until disposed: acquired for 60 s and renewed every 20 s, so that a machine that dies lets
/// the lock go within a minute.
/// </summary>
internal sealed class BlobLock : IDisposable
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);

    private readonly Azure.Storage.Blobs.Specialized.BlobLeaseClient lease;
    private readonly Timer renewal;

    private BlobLock(Azure.Storage.Blobs.Specialized.BlobLeaseClient lease)
    {
        this.lease = lease;
        renewal = new Timer(_ =>
        {
            try
            {
                lease.Renew();
            }
            catch (RequestFailedException)
            {
                // Renewed at the next tick, or lost: the holder's writes still land; only exclusivity is at stake.
            }
        }, null, Duration / 3, Duration / 3);
    }

    public static BlobLock Acquire(BlobClient blob, TimeSpan timeout)
    {
        try
        {
            blob.Upload(BinaryData.Empty, overwrite: false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // It exists (and may be leased).
        }
        var lease = Azure.Storage.Blobs.Specialized.SpecializedBlobExtensions.GetBlobLeaseClient(blob);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                lease.Acquire(Duration);
                return new BlobLock(lease);
            }
            catch (RequestFailedException e) when (e.Status == 409 && clock.Elapsed < timeout)
            {
                Thread.Sleep(200);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                throw new IOException($"The champion store is locked by another machine (lease on blob {blob.Name} in container '{blob.BlobContainerName}') for over {timeout.TotalSeconds:F0} s.", e);
            }
        }
    }

    public void Dispose()
    {
        renewal.Dispose();
        try
        {
            lease.Release();
        }
        catch (RequestFailedException)
        {
            // Expired already: nothing to release.
        }
    }
}

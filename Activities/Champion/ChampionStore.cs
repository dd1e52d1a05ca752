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
/// model.txt and features.json), written whole into a temporary folder and renamed into place, never changed after;
/// <c>champion/current.json</c> names the current one and is replaced atomically (a rename). A reader reads the pointer,
/// then that champion's folder, so it sees the old champion or the new, never a mix. Changes are serialised by a lock
/// file (<c>champion/.lock</c>) between processes.
/// </summary>
public sealed class ChampionStore(string root)
{
    public const string ManifestFile = "manifest.json";
    public const string SubmissionFile = "submission.csv";
    public const string ModelFile = "model.txt";
    public const string FeaturesFile = "features.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The store's <c>champion/</c> folder.</summary>
    public string Root => root;

    /// <summary>The file that names the current champion.</summary>
    public string PointerPath => Path.Combine(root, "current.json");

    /// <summary>The champion store beside the runs of <paramref name="runsRoot"/> (the folder holding <c>runs/</c>).</summary>
    public static ChampionStore In(string runsRoot) => new(Path.Combine(runsRoot, "champion"));

    /// <summary>The champion store of the runs folder that holds <paramref name="runDirectory"/> (<c>{root}/runs/{id}</c>).</summary>
    public static ChampionStore ForRun(string runDirectory) =>
        In(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(runDirectory))!)!);

    /// <summary>The folder of champion <paramref name="runId"/>'s files.</summary>
    public string Directory(string runId) => Path.Combine(root, "runs", runId);

    /// <summary>The current champion, or null when there is none yet.</summary>
    public ChampionPointer? Current()
    {
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
    public ChampionManifest Manifest(string runId) =>
        JsonSerializer.Deserialize<ChampionManifest>(File.ReadAllText(Path.Combine(Directory(runId), ManifestFile)))
        ?? throw new InvalidDataException($"{Path.Combine(Directory(runId), ManifestFile)} is empty.");

    /// <summary>
    /// Holds the store's lock until disposed: one change at a time, across processes (waits up to
    /// <paramref name="timeout"/>, then fails naming the lock file).
    /// </summary>
    public IDisposable Lock(TimeSpan timeout)
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
        var target = Directory(manifest.RunId);
        if (System.IO.Directory.Exists(target))
        {
            return;
        }
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
            File.WriteAllText(Path.Combine(temporary, ManifestFile), JsonSerializer.Serialize(manifest, Indented));
            System.IO.Directory.Move(temporary, target);
        }
        catch
        {
            System.IO.Directory.Delete(temporary, recursive: true);
            throw;
        }
    }

    /// <summary>Makes installed champion <paramref name="runId"/> the current one (the current one becomes the previous). Call under <see cref="Lock"/>.</summary>
    public ChampionPointer Swap(string runId, string reason, DateTime now)
    {
        if (!File.Exists(Path.Combine(Directory(runId), ManifestFile)))
        {
            throw new InvalidOperationException($"Run {runId} is not installed in {root}.");
        }
        var current = Current();
        if (current?.RunId == runId)
        {
            return current;
        }
        var pointer = new ChampionPointer(runId, current is null ? [] : [current.RunId, .. current.Previous], now, reason);
        AtomicFile.WriteAllText(PointerPath, JsonSerializer.Serialize(pointer, Indented));
        return pointer;
    }

    /// <summary>Returns to the previous champion. Call under <see cref="Lock"/>.</summary>
    public ChampionPointer Rollback(DateTime now)
    {
        var current = Current() ?? throw new InvalidOperationException("There is no champion to roll back.");
        if (current.Previous.Count == 0)
        {
            throw new InvalidOperationException($"Champion {current.RunId} is the first: there is none before it to roll back to.");
        }
        var pointer = new ChampionPointer(current.Previous[0], [.. current.Previous.Skip(1)], now, $"rolled back from {current.RunId}");
        AtomicFile.WriteAllText(PointerPath, JsonSerializer.Serialize(pointer, Indented));
        return pointer;
    }
}

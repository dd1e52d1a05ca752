using DuckDB.NET.Data;

namespace HmRec.Activities.Common;

/// <summary>
/// An in-memory DuckDB for one activity: a memory limit above which it spills to a private scratch folder,
/// and atomic parquet output (written under a temporary name, renamed when complete), so a killed activity
/// never leaves a partial file that a later run would mistake for finished work.
/// </summary>
public sealed class AnalyticsSession : IDisposable
{
    private readonly string scratch;

    /// <param name="memoryLimit">The process's DuckDB budget (see <see cref="IngestOptions.MemoryLimit"/>); this session gets its share.</param>
    /// <param name="scratchParent">Where the session's spill folder goes.</param>
    public AnalyticsSession(string memoryLimit, string scratchParent)
    {
        Abandoned.Delete(scratchParent, ".scratch-");
        scratch = Path.Combine(scratchParent, $".scratch-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var settings = new Dictionary<string, string>
        {
            ["memory_limit"] = MemorySize.Divide(memoryLimit, Sessions),
            ["temp_directory"] = scratch,
            ["preserve_insertion_order"] = "false",
        };
        if (Threads is { } threads)
        {
            settings["threads"] = threads.ToString(CultureInfo.InvariantCulture);
        }
        Connection = DuckDb.Open(settings);
    }

    public DuckDBConnection Connection { get; }

    /// <summary>
    /// DuckDB threads per session, set by the host from its cores and the activities it runs at once (null: DuckDB's
    /// default, every core). Two activities at once, each with every core of a 2-core machine, slowed the features
    /// stage at 1M rows by half against one thread each (20.9 s against 13.8 s, identical outputs).
    /// </summary>
    public static int? Threads { get; private set; }

    /// <summary>How many sessions share the memory budget: the activities the host runs at once (1 until it says).</summary>
    public static int Sessions { get; private set; } = 1;

    /// <summary>
    /// Shares this machine among <paramref name="concurrentActivities"/> activities: each session gets its part of the
    /// cores (at least one) and of the memory budget, so that the budget holds for the whole process.
    /// </summary>
    public static void ShareMachine(int concurrentActivities)
    {
        Sessions = Math.Max(1, concurrentActivities);
        Threads = Math.Max(1, Environment.ProcessorCount / Sessions);
    }

    public long Execute(string sql) => Connection.Execute(sql);

    public T? Scalar<T>(string sql) => Connection.Scalar<T>(sql);

    /// <summary>Writes the rows of <paramref name="query"/> to <paramref name="path"/> as parquet, atomically.</summary>
    public void CopyToParquet(string query, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Abandoned.Delete(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".tmp-");
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            Connection.Execute($"COPY ({query}) TO {Quote(temp)} (FORMAT parquet, COMPRESSION zstd)");
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Rows and distinct users of a written file.</summary>
    public (long Rows, long Users) Count(string path)
    {
        using var r = Connection.Query($"SELECT count(*) AS n, count(DISTINCT customer_idx) AS u FROM read_parquet({Quote(path)})");
        var c = r.ReadAll();
        return (c.Get<long>("n").Values[0], c.Get<long>("u").Values[0]);
    }

    /// <summary>The output of a finished earlier attempt (skipped), or null when <paramref name="path"/> does not exist yet.</summary>
    public StageOutput? Existing(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        var (rows, users) = Count(path);
        return new StageOutput(path, rows, users, 0, Skipped: true);
    }

    /// <summary>What an activity just wrote to <paramref name="path"/>, in <paramref name="seconds"/>.</summary>
    public StageOutput Written(string path, double seconds)
    {
        var (rows, users) = Count(path);
        return new StageOutput(path, rows, users, seconds, Skipped: false);
    }

    /// <summary>A SQL string literal.</summary>

    /// <summary>A SQL numeric literal in the invariant culture.</summary>
    public static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>SQL for a weight that halves every <paramref name="halfLifeDays"/> days before <paramref name="cutoffDay"/>.</summary>
    public static string Decay(string dayColumn, int cutoffDay, double halfLifeDays) =>
        $"exp(-{Num(Math.Log(2) / halfLifeDays)}::DOUBLE * ({cutoffDay} - {dayColumn}))";

    /// <summary>
    /// SQL for a sum that is the same on every run. Floating-point addition depends on its order, and DuckDB's
    /// parallel aggregation order varies between runs; fixed-point integers (a resolution of 1e-12, summed in
    /// 128 bits) add up identically in any order. Terms must stay below 9e6 in magnitude.
    /// </summary>
    public static string Sum(string expression, string? filter = null) =>
        $"(sum(round(({expression}) * 1e12)::BIGINT){(filter is null ? "" : $" FILTER (WHERE {filter})")} / 1e12)";

    /// <summary>A mean that is the same on every run (see <see cref="Sum"/>); NULL over no values.</summary>
    public static string Mean(string expression) => $"({Sum(expression)} / nullif(count({expression}), 0))";

    /// <summary>A sample standard deviation that is the same on every run; NULL for fewer than two values.</summary>
    public static string StdDev(string expression) =>
        $"(CASE WHEN count({expression}) > 1 THEN sqrt(greatest({Sum($"({expression}) * ({expression})")} - {Sum(expression)} * {Sum(expression)} / count({expression}), 0) / (count({expression}) - 1)) END)";

    public void Dispose()
    {
        Connection.Dispose();
        try
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
        catch (IOException)
        {
            // A scratch folder that cannot be removed now is harmless; the next session uses its own.
        }
    }
}

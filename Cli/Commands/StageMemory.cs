namespace HmRec.Cli.Commands;

/// <summary>
/// This process's peak resident memory (native allocations included: DuckDB, LightGBM, OpenBLAS) per pipeline stage,
/// sampled whenever the run's progress is polled; a stage's peak is the highest sample while it was the current
/// stage. Another worker on the task hub, and the two-tower worker process, are not counted.
/// </summary>
internal sealed class StageMemory
{
    private readonly List<(string Stage, long PeakBytes)> peaks = [];

    /// <summary>The stages in the order they began, with their peaks.</summary>
    public IReadOnlyList<(string Stage, long PeakBytes)> Peaks => peaks;

    /// <summary>Records the current resident memory against <paramref name="stage"/>.</summary>
    public void Sample(string stage)
    {
        var rss = ResidentBytes();
        var i = peaks.FindIndex(p => p.Stage == stage);
        if (i < 0)
        {
            peaks.Add((stage, rss));
        }
        else if (rss > peaks[i].PeakBytes)
        {
            peaks[i] = (stage, rss);
        }
    }

    /// <summary>One line for the console: each stage's peak in GiB.</summary>
    public string Describe() =>
        string.Join(", ", peaks.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Stage} {p.PeakBytes / (double)(1L << 30):F2}")));

    /// <summary>The peaks as CSV (stage, peak_rss_mib), for benchmarks.</summary>
    public string ToCsv() =>
        "stage,peak_rss_mib\n" + string.Concat(peaks.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Stage},{p.PeakBytes >> 20}\n")));

    /// <summary>VmRSS of this process (Linux), else the working set .NET reports.</summary>
    private static long ResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        return Environment.WorkingSet;
    }
}

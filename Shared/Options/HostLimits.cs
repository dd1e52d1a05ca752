namespace HmRec.Shared.Options;

/// <summary>
/// What one start request may ask of a host, as settings with safe defaults; both hosts check them before they schedule
/// anything, and a refusal names the setting.
/// </summary>
public sealed record HostLimits
{
    public const string MaxRunsInProgressSetting = "HMREC_MAX_RUNS_IN_PROGRESS";
    public const string MaxActivitiesPerRunSetting = "HMREC_MAX_ACTIVITIES_PER_RUN";
    public const string MaxRequestBodyBytesSetting = "HMREC_MAX_REQUEST_BODY_BYTES";

    /// <summary><c>HMREC_MAX_RUNS_IN_PROGRESS</c>: pipelines pending, running or suspended at once; a start beyond it is 429.</summary>
    public int MaxRunsInProgress { get; init; } = 2;

    /// <summary>
    /// <c>HMREC_MAX_ACTIVITIES_PER_RUN</c>: the recall activities a run may schedule (shards x strategies x weeks); a start
    /// beyond it is 400, and a run whose automatic shards would exceed it fails before its recall.
    /// </summary>
    public int MaxActivitiesPerRun { get; init; } = 10_000;

    /// <summary><c>HMREC_MAX_REQUEST_BODY_BYTES</c>: the largest request body; a larger one is 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1 << 20;

    /// <summary><c>HMREC_DATA_ROOTS</c>: the folders input data and embeddings may be read from (see <see cref="Options.DataRoots"/>).</summary>
    public string? DataRoots { get; init; }

    /// <summary>The limits of <paramref name="setting"/> (a setting's value by name, null when unset); a bad value names its setting.</summary>
    public static HostLimits FromSettings(Func<string, string?> setting)
    {
        var defaults = new HostLimits();
        return new HostLimits
        {
            MaxRunsInProgress = (int)Number(setting, MaxRunsInProgressSetting, defaults.MaxRunsInProgress, 1, 1000),
            MaxActivitiesPerRun = (int)Number(setting, MaxActivitiesPerRunSetting, defaults.MaxActivitiesPerRun, 1, 10_000_000),
            MaxRequestBodyBytes = Number(setting, MaxRequestBodyBytesSetting, defaults.MaxRequestBodyBytes, 1024, 1L << 30),
            DataRoots = setting(Options.DataRoots.Setting) is { Length: > 0 } roots ? roots : null,
        };
    }

    private static long Number(Func<string, string?> setting, string name, long fallback, long min, long max)
    {
        if (setting(name) is not { Length: > 0 } text)
        {
            return fallback;
        }
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a whole number between {min.ToString("N0", CultureInfo.InvariantCulture)} and {max.ToString("N0", CultureInfo.InvariantCulture)} (got '{(text.Length > 200 ? text[..200] + "..." : text)}').");
    }
}

namespace HmRec.Orchestrators;

/// <summary>What the pipeline logs (the hosts route it: <c>hmrec</c> to its log file, the Functions app to its telemetry).</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(1, LogLevel.Information, "Activity {Activity} of {Instance} started.")]
    public static partial void ActivityStarted(ILogger logger, string activity, string instance);

    [LoggerMessage(2, LogLevel.Information, "Activity {Activity} of {Instance} finished in {Seconds:F2} s.")]
    public static partial void ActivityFinished(ILogger logger, string activity, string instance, double seconds);

    [LoggerMessage(3, LogLevel.Warning, "Activity {Activity} of {Instance} failed after {Seconds:F2} s.")]
    public static partial void ActivityFailed(ILogger logger, Exception exception, string activity, string instance, double seconds);

    [LoggerMessage(4, LogLevel.Information, "Activity {Activity} did no work: run {Run} has ended ({Status}).")]
    public static partial void ActivitySkipped(ILogger logger, string activity, string run, string status);

    [LoggerMessage(5, LogLevel.Information, "Run {Instance}: stage {Stage} ({Total} to do).")]
    public static partial void StageStarted(ILogger logger, string instance, string stage, int total);
}

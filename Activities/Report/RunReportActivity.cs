namespace HmRec.Activities.Report;

/// <summary>The run's last activity: writes <c>eval/report.html</c> from the run folder and the stages' timeline (see <see cref="RunReport"/>).</summary>
public static class RunReportActivity
{
    public const string Name = "RunReport";

    /// <summary>
    /// The activity, the run's last: it reads the evaluation, the models' summaries, logs and importances, the recall
    /// report, the ingest manifest and the config; with blob storage the run's local copy is deleted after it.
    /// </summary>
    public static readonly ActivityDefinition<RunReportTask, string> Definition = new(Name, (_, t) => t.RunDirectory,
        _ => ["eval/**", "models/*/summary.json", "models/*/training_log.csv", "models/*/feature_importance.csv", "recall/report.json", "ingest/manifest.json", "config.json"],
        (host, task) => Task.Run(() => Run(task, host.Blobs), host.Stopping), Last: true);

    /// <summary>Writes the report (the history from the champion store in <paramref name="blobs"/> when runs live there) and returns its path.</summary>
    public static string Run(RunReportTask task, Azure.Storage.Blobs.BlobContainerClient? blobs = null) =>
        RunReport.Write(task.RunDirectory, task.Timeline, task.Models, task.Submission, Champion.ChampionStore.ForRun(task.RunDirectory, blobs));
}

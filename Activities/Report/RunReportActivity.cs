namespace HmRec.Activities.Report;

/// <summary>The run's last activity: writes <c>eval/report.html</c> from the run folder and the stages' timeline (see <see cref="RunReport"/>).</summary>
public static class RunReportActivity
{
    public const string Name = "RunReport";

    /// <summary>Writes the report and returns its path.</summary>
    public static string Run(RunReportTask task) => RunReport.Write(task.RunDirectory, task.Timeline, task.Models, task.Submission);
}

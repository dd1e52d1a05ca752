namespace HmRec.Orchestrators.Pipeline;

/// <summary>The instance ids of the weekly retrain: one per occurrence of the schedule, so an occurrence runs once.</summary>
public static class RetrainInstance
{
    public const string Prefix = "retrain-";

    /// <summary>The instance id of the occurrence at <paramref name="occurrenceUtc"/>: <c>retrain-yyyyMMddTHHmmssZ</c>.</summary>
    public static string Id(DateTime occurrenceUtc) => Prefix + occurrenceUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}

namespace HmRec.Activities.Common;

/// <summary>
/// One label week: week 0 is the held-out validation week, weeks 1..N are training label weeks, and week -1
/// is the week after the data, the one the submission predicts (it has no labels). Candidates
/// and features for it read only transactions before <see cref="CutoffDay"/> (its first day); its labels are
/// the purchases from CutoffDay to <see cref="LastDay"/>. Days count from 1970-01-01, as in transactions.parquet.
/// </summary>
public sealed record LabelWeek(int Week, int CutoffDay, int LastDay)
{
    /// <summary>The number of the week after the data, whose predictions make the submission.</summary>
    public const int NextWeek = -1;

    /// <summary>True for the held-out validation week.</summary>
    public bool IsValidation => Week == 0;

    /// <summary>True for the training label weeks, the only ones that are negative-sampled.</summary>
    public bool IsTraining => Week >= 1;

    /// <summary>True for the week after the data: its users are the recently active ones, and it has no labels.</summary>
    public bool IsNext => Week < 0;

    /// <summary>The week after the data, which the submission predicts.</summary>
    public static LabelWeek Next(DateOnly dataLastDay) => Of(dataLastDay, NextWeek);

    /// <summary>Label week <paramref name="week"/> of an ingest whose data ends on <paramref name="dataLastDay"/>.</summary>
    public static LabelWeek Of(DateOnly dataLastDay, int week)
    {
        var last = dataLastDay.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber - 7 * week;
        return new LabelWeek(week, last - 6, last);
    }

    /// <summary>The validation week and the training weeks of an ingest, newest first.</summary>
    public static IReadOnlyList<LabelWeek> All(IngestSummary ingest, int trainingWeeks) =>
        Enumerable.Range(0, trainingWeeks + 1).Select(w => Of(ingest.LastDay, w)).ToList();
}

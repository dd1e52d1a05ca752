namespace HmRec.Activities.Recall;

/// <summary>Candidate counts and recall of every strategy and of the merged candidates, per label week.</summary>
public sealed record RecallReport(IReadOnlyList<RecallWeekReport> Weeks, IReadOnlyList<string> Notes);

/// <summary>One label week: its target users, their purchases (labels) and one row per strategy, then "merged".</summary>
public sealed record RecallWeekReport(int Week, long Targets, long Labels, IReadOnlyList<RecallReportRow> Rows);

/// <summary>
/// One strategy in one week. <c>Recall</c> is the share of the week's (user, item) purchases among the
/// candidates; <c>HitRate</c> the share of target users with at least one; <c>UniqueHits</c> the purchases
/// only this strategy found; <c>RecallAt</c> the recall of each strategy's first N candidates per user (by its
/// own score) for N in <see cref="RecallReportActivity.Cuts"/>, the curve that sizes each strategy.
/// </summary>
public sealed record RecallReportRow(string Strategy, long Users, long Candidates, double CandidatesPerUser, long Hits, double Recall, double HitRate, long UniqueHits)
{
    public IReadOnlyDictionary<string, double>? RecallAt { get; init; }
}

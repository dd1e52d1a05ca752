using HmRec.Activities.Evaluation;
using HmRec.Activities.Features;
using HmRec.Activities.Report;

namespace HmRec.Activities;

/// <summary>
/// The one list of the pipeline's activities, each declared by its own class (<see cref="ActivityDefinition{TInput, TOutput}"/>):
/// the worker registers these, the Functions app has one wrapper per entry (a test compares the two), the read sets
/// of blob-stored runs come from them and the orchestrators call them by their definitions.
/// </summary>
public static class PipelineActivityList
{
    public static IReadOnlyList<IActivityDefinition> All { get; } =
    [
        IngestActivity.Definition,
        TextVectorsActivity.Definition,
        RecallGlobalActivity.Definition,
        RecallShardActivity.Definition,
        MergeActivity.Definition,
        FeaturesActivity.Definition,
        RecallReportActivity.Definition,
        BaselinesActivity.Definition,
        RankerActivity.Definition,
        TwoTowerActivities.StartDefinition,
        TwoTowerActivities.StatusDefinition,
        TwoTowerActivities.StopDefinition,
        EnsembleActivity.Definition,
        SubmissionActivity.Definition,
        Champion.PromotionActivity.Definition,
        EvaluateShardActivity.Definition,
        EvaluationActivity.Definition,
        RunReportActivity.Definition,
    ];
}

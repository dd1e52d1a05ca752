namespace HmRec.Activities.Training;

/// <summary>The models a run trains: the four LightGBM variants, and the two-tower network when enabled.</summary>
public static class TrainedModels
{
    public static IReadOnlyList<string> Names(PipelineOptions options) =>
        options.TwoTower.Enabled ? [.. RankerVariants.All, TwoTowerActivities.Model] : RankerVariants.All;
}

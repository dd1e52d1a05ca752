namespace HmRec.Shared.Data;

/// <summary>
/// The files every trained model leaves in <c>models/{name}/</c>, the contract between the trainers (the
/// LightGBM activities and the two-tower worker) and the evaluation, ensemble and submission stages.
/// </summary>
public static class ModelFiles
{
    /// <summary>Written last: the model is complete when it exists.</summary>
    public const string Summary = "summary.json";

    /// <summary><c>customer_idx, article_idx, score</c> for every candidate of the validation week.</summary>
    public const string Validation = "validation.parquet";

    /// <summary><c>customer_idx, article_idx, score</c> for every candidate of the week after the data.</summary>
    public const string Test = "test.parquet";

    /// <summary>The validation MAP@12 after every round (rankers) or epoch (the network), as CSV.</summary>
    public const string TrainingLog = "training_log.csv";

    /// <summary>A LightGBM ranker's features by total gain, as CSV.</summary>
    public const string FeatureImportance = "feature_importance.csv";

    /// <summary>
    /// The two-tower worker's report of a failure it caught (the reason, one line): with no summary beside it the job
    /// failed and is not started again; with neither, the job died.
    /// </summary>
    public const string WorkerError = "error.txt";

    /// <summary>A LightGBM ranker's text model (its best round).</summary>
    public const string RankerModel = "model.txt";
}

namespace HmRec.Activities.Options;

/// <summary>Stage 3 options: negative sampling of the training weeks and the optional image embeddings.</summary>
public sealed record FeatureOptions
{
    /// <summary>
    /// Training weeks keep every positive and, per user, about this many negatives per positive (default 7: with the
    /// whole history the candidates hold more positives, and fewer negatives per positive keep the rankers' rows and
    /// training time in check for a slightly lower MAP@12);
    /// users with no positive among their candidates are dropped from training weeks. Null keeps every negative.
    /// The validation week is never sampled.
    /// </summary>
    public double? NegativesPerPositive { get; init; } = 7;

    /// <summary>Parquet file of image embeddings (<c>article_id</c> and a list of floats, <c>embedding</c>); optional.</summary>
    public string? ImageEmbeddings { get; init; }

    /// <summary>
    /// The submission week's candidates and features are built for the sampled users who bought in this many
    /// last weeks (default 4); every other customer gets the fallback list.
    /// </summary>
    public int SubmissionActiveWeeks { get; init; } = 4;

    public void Validate()
    {
        RecallOptions.Check("Features.SubmissionActiveWeeks", SubmissionActiveWeeks, 1, 520);
        if (NegativesPerPositive is { } r && (!(r > 0) || double.IsInfinity(r)))
        {
            throw new ArgumentException($"Features.NegativesPerPositive must be a positive number, or unset to keep every negative (got {r}).");
        }
        if (ImageEmbeddings is { } path && !File.Exists(path))
        {
            throw new ArgumentException($"Features.ImageEmbeddings: the file '{path}' does not exist.");
        }
    }
}

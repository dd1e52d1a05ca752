using System.ComponentModel.DataAnnotations;
using HmRec.Shared.Options;

namespace HmRec.Activities.Options;

/// <summary>Stage 3 options: negative sampling of the training weeks and the optional image embeddings.</summary>
public sealed record FeatureOptions : IValidatableObject
{
    /// <summary>
    /// Training weeks keep every positive and, per user, about this many negatives per positive (default 7: with the
    /// whole history the candidates hold more positives, and fewer negatives per positive keep the rankers' rows and
    /// training time in check for a slightly lower MAP@12);
    /// users with no positive among their candidates are dropped from training weeks. Null keeps every negative.
    /// The validation week is never sampled.
    /// </summary>
    [Positive] public double? NegativesPerPositive { get; init; } = 7;

    /// <summary>Parquet file of image embeddings (<c>article_id</c> and a list of floats, <c>embedding</c>); optional.</summary>
    public string? ImageEmbeddings { get; init; }

    /// <summary>
    /// The submission week's candidates and features are built for the sampled users who bought in this many
    /// last weeks (default 4); every other customer gets the fallback list.
    /// </summary>
    [Range(1, 520)] public int SubmissionActiveWeeks { get; init; } = 4;

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext context)
    {
        if (ImageEmbeddings is { } path && !File.Exists(path))
        {
            yield return new ValidationResult($"must name a file that exists (got '{path}').", [nameof(ImageEmbeddings)]);
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace HmRec.Activities.Options;

/// <summary>
/// The promotion step after evaluation: when a run's best LightGBM ranker replaces the champion whose recommendations
/// are served.
/// </summary>
public sealed record PromotionOptions
{
    /// <summary>Whether a run may replace the champion by itself (default true; a run still records its decision when false).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// The least ratio of the run's best ranker's MAP@12 to the whole-history rule's on the validation week (default
    /// 1.05: five percent better than the rule).
    /// </summary>
    [Range(0d, 100d)] public double MinRatioToRule { get; init; } = 1.05;
}

namespace HmRec.Training.Gpu.Training;

/// <summary>
/// Which feature columns feed which part of the network: <c>u_*</c> the user tower; <c>ui_*</c>, the
/// strategy scores, ranks and flags (<c>*_score</c>, <c>*_rank</c>, <c>from_*</c>, <c>n_strategies</c>) and
/// the similarities (<c>*_similarity</c>), which describe a user-item pair, go straight into the fusion
/// MLP; every other column (<c>i_*</c> and the article attributes) feeds the item tower.
/// </summary>
public sealed record FeatureSplit(IReadOnlyList<int> User, IReadOnlyList<int> Item, IReadOnlyList<int> Pair)
{
    /// <summary>The split of the columns named <paramref name="names"/> (indices into that list).</summary>
    public static FeatureSplit Of(IReadOnlyList<string> names)
    {
        List<int> user = [], item = [], pair = [];
        for (var i = 0; i < names.Count; i++)
        {
            (IsUser(names[i]) ? user : IsPair(names[i]) ? pair : item).Add(i);
        }
        return new FeatureSplit(user, item, pair);
    }

    private static bool IsUser(string name) => name.StartsWith("u_", StringComparison.Ordinal);

    private static bool IsPair(string name) =>
        name.StartsWith("ui_", StringComparison.Ordinal) || name.StartsWith("from_", StringComparison.Ordinal)
        || name.EndsWith("_score", StringComparison.Ordinal) || name.EndsWith("_rank", StringComparison.Ordinal)
        || name.EndsWith("_similarity", StringComparison.Ordinal) || name == "n_strategies";
}

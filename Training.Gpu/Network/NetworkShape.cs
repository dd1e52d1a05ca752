namespace HmRec.Training.Gpu.Network;

/// <summary>
/// The widths of the two-tower network. User tower: user features → 256 → 128 → 128; item tower: item
/// features → 256 → 128 → 128; image tower (when image embeddings are given): embedding → 256 → 128; the
/// fusion MLP takes the concatenated embeddings and the user-item (pair) features → 256 → 128 → 64 → 1.
/// Every hidden layer is Linear → BatchNorm → ReLU → Dropout.
/// </summary>
public sealed record NetworkShape(int UserInputs, int ItemInputs, int ImageInputs, int PairInputs, float Dropout = 0.3f)
{
    public static readonly IReadOnlyList<int> TowerWidths = [256, 128, 128];
    public static readonly IReadOnlyList<int> ImageWidths = [256, 128];
    public static readonly IReadOnlyList<int> FusionWidths = [256, 128, 64, 1];

    /// <summary>Columns of the fusion input.</summary>
    public int FusionInputs => TowerWidths[^1] * 2 + (ImageInputs > 0 ? ImageWidths[^1] : 0) + PairInputs;

    /// <summary>Throws when a width cannot make a network.</summary>
    public void Validate()
    {
        if (UserInputs < 1 || ItemInputs < 1 || ImageInputs < 0 || PairInputs < 0)
        {
            throw new ArgumentException($"The network needs at least one user and one item feature (got {UserInputs} user, {ItemInputs} item, {ImageInputs} image, {PairInputs} pair inputs).");
        }
        if (Dropout is < 0 or >= 1)
        {
            throw new ArgumentException($"Dropout must be in [0, 1) (got {Dropout}).");
        }
    }
}

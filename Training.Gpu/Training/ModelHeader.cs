namespace HmRec.Training.Gpu.Training;

/// <summary>
/// Everything needed to score new rows with a saved network besides its tensors: the shape, the feature
/// columns it was trained on and their split and standardisation, and the tensors' names and sizes in
/// file order.
/// </summary>
public sealed record ModelHeader(
    int Version,
    NetworkShape Shape,
    IReadOnlyList<string> FeatureNames,
    FeatureSplit Split,
    Standardiser Standardiser,
    int BestEpoch,
    double BestValidationMap,
    IReadOnlyList<TensorEntry> Tensors);

/// <summary>One tensor of a model file.</summary>
public sealed record TensorEntry(string Name, int Rows, int Columns);

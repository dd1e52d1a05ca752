namespace HmRec.Training.Gpu.Tensors;

/// <summary>
/// The tensors of one batch-normalisation layer: the learned scale and shift (with their gradients), the
/// running statistics, and what the training forward pass keeps for the backward pass (x̂ and 1/σ).
/// </summary>
public sealed record BatchNormState(
    Tensor Gamma,
    Tensor Beta,
    Tensor GammaGradient,
    Tensor BetaGradient,
    Tensor RunningMean,
    Tensor RunningVariance,
    Tensor Normalised,
    Tensor InverseStd);

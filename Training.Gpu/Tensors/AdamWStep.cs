namespace HmRec.Training.Gpu.Tensors;

/// <summary>The hyper-parameters of one AdamW step; <see cref="Step"/> counts from 1.</summary>
public sealed record AdamWStep(float LearningRate, float WeightDecay, int Step, float Beta1 = 0.9f, float Beta2 = 0.999f, float Epsilon = 1e-8f)
{
    /// <summary>1 − β₁ᵗ, the first moment's bias correction.</summary>
    public float Correction1 => 1 - MathF.Pow(Beta1, Step);

    /// <summary>1 − β₂ᵗ, the second moment's bias correction.</summary>
    public float Correction2 => 1 - MathF.Pow(Beta2, Step);
}

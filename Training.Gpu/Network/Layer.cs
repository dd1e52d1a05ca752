namespace HmRec.Training.Gpu.Network;

/// <summary>
/// One layer of the network. A layer owns its output and input-gradient buffers (sized for the largest
/// batch), keeps what the backward pass needs from the last forward pass, and writes parameter gradients
/// (overwritten on every backward pass: one forward and one backward per optimizer step).
/// </summary>
public abstract class Layer
{
    /// <summary>The layer's output for <paramref name="x"/>; <paramref name="step"/> seeds dropout in training.</summary>
    public abstract Tensor Forward(Tensor x, bool training, long step);

    /// <summary>Gradients for the last forward pass; returns the gradient of the input, or null when the input needs none.</summary>
    public abstract Tensor? Backward(Tensor outputGradient);

    /// <summary>Learned tensors.</summary>
    public virtual IEnumerable<Parameter> Parameters => [];

    /// <summary>Tensors that are not learned by gradient but belong to the model (running statistics).</summary>
    public virtual IEnumerable<(string Name, Tensor Value)> Buffers => [];
}

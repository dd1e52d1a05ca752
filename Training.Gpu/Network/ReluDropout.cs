namespace HmRec.Training.Gpu.Network;

/// <summary>ReLU followed by inverted dropout, fused: one pass, one mask that is also the gradient. Works in place.</summary>
public sealed class ReluDropout(TensorBackend backend, int columns, int capacity, float dropout, ulong seed, int layer) : Layer
{
    private readonly Tensor mask = backend.Allocate(capacity, columns);

    public float Dropout { get; } = dropout;

    public override Tensor Forward(Tensor x, bool training, long step)
    {
        if (training)
        {
            mask.Rows = x.Rows;
            backend.ReluDropout(x, mask, Dropout, DropoutHash.Stream(seed, layer, step));
        }
        else
        {
            backend.Relu(x);
        }
        return x;
    }

    public override Tensor Backward(Tensor outputGradient)
    {
        backend.Multiply(outputGradient, mask);
        return outputGradient;
    }
}

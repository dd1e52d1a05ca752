namespace HmRec.Training.Gpu.Network;

/// <summary>One batch on the backend: user, item, image (optional) and pair (optional) features, same rows.</summary>
public sealed record NetworkInput(Tensor User, Tensor Item, Tensor? Image, Tensor? Pair)
{
    public int Rows => User.Rows;
}

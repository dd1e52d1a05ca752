namespace HmRec.Training.Gpu.Network;

/// <summary>
/// The two-tower network of <see cref="NetworkShape"/> on one backend: forward to a logit per row,
/// backward to every parameter's gradient. Buffers are sized for <c>capacity</c> rows.
/// </summary>
public sealed class TwoTowerNetwork
{
    private readonly TensorBackend backend;
    private readonly Tensor fused;
    private readonly Tensor userGradient;
    private readonly Tensor itemGradient;
    private readonly Tensor? imageGradient;

    public TwoTowerNetwork(TensorBackend backend, NetworkShape shape, int capacity, ulong seed)
    {
        shape.Validate();
        this.backend = backend;
        Shape = shape;
        var random = new Random((int)(seed % int.MaxValue));
        User = Sequential.Mlp(backend, "user", shape.UserInputs, NetworkShape.TowerWidths, capacity, shape.Dropout, false, false, random, seed, 0);
        Item = Sequential.Mlp(backend, "item", shape.ItemInputs, NetworkShape.TowerWidths, capacity, shape.Dropout, false, false, random, seed, 10);
        Image = shape.ImageInputs > 0
            ? Sequential.Mlp(backend, "image", shape.ImageInputs, NetworkShape.ImageWidths, capacity, shape.Dropout, false, false, random, seed, 20)
            : null;
        Fusion = Sequential.Mlp(backend, "fusion", shape.FusionInputs, NetworkShape.FusionWidths, capacity, shape.Dropout, true, true, random, seed, 30);
        fused = backend.Allocate(capacity, shape.FusionInputs);
        userGradient = backend.Allocate(capacity, NetworkShape.TowerWidths[^1]);
        itemGradient = backend.Allocate(capacity, NetworkShape.TowerWidths[^1]);
        imageGradient = Image is null ? null : backend.Allocate(capacity, NetworkShape.ImageWidths[^1]);
        Parameters = [.. User.Parameters, .. Item.Parameters, .. Image?.Parameters ?? [], .. Fusion.Parameters];
        Buffers = [.. User.Buffers, .. Item.Buffers, .. Image?.Buffers ?? [], .. Fusion.Buffers];
    }

    public NetworkShape Shape { get; }

    public Sequential User { get; }

    public Sequential Item { get; }

    public Sequential? Image { get; }

    public Sequential Fusion { get; }

    /// <summary>Every learned tensor, in a fixed order (the order of the model file).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Running statistics, in a fixed order.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> Buffers { get; }

    /// <summary>A logit per row (rows x 1), valid until the next forward pass.</summary>
    public Tensor Forward(NetworkInput input, bool training, long step)
    {
        if ((input.Image is null) != (Image is null) || (input.Pair is null) != (Shape.PairInputs == 0))
        {
            throw new ArgumentException("The batch's image and pair inputs do not match the network's shape.");
        }
        fused.Rows = input.Rows;
        var offset = 0;
        void Place(Tensor embedding)
        {
            backend.CopyColumns(embedding, fused, offset);
            offset += embedding.Columns;
        }
        Place(User.Forward(input.User, training, step));
        Place(Item.Forward(input.Item, training, step));
        if (Image is not null)
        {
            Place(Image.Forward(input.Image!, training, step));
        }
        if (input.Pair is not null)
        {
            Place(input.Pair);
        }
        return Fusion.Forward(fused, training, step);
    }

    /// <summary>Every parameter's gradient for the last (training) forward pass, given the logits' gradient.</summary>
    public void Backward(Tensor logitGradient)
    {
        var g = Fusion.Backward(logitGradient) ?? throw new InvalidOperationException("The fusion MLP returned no input gradient.");
        var offset = 0;
        Tensor Take(Tensor into)
        {
            into.Rows = g.Rows;
            backend.ExtractColumns(g, offset, into);
            offset += into.Columns;
            return into;
        }
        User.Backward(Take(userGradient));
        Item.Backward(Take(itemGradient));
        if (Image is not null)
        {
            Image.Backward(Take(imageGradient!));
        }
    }
}

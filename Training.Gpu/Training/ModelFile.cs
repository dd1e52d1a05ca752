namespace HmRec.Training.Gpu.Training;

/// <summary>
/// The two-tower model file (<c>model.hmtt</c>): the bytes "HMTT", a little-endian int32 header length, the
/// <see cref="ModelHeader"/> as UTF-8 JSON, then every parameter and running statistic as little-endian
/// float32 in header order (<see cref="TensorFile"/>). Written to a temporary name and renamed, so a
/// reader never sees half a file.
/// </summary>
public static class ModelFile
{
    public const string FileName = "model.hmtt";
    /// <summary>2: only the output linear has a bias (version 1 had one on every linear).</summary>
    public const int Version = 2;

    private static readonly byte[] Magic = "HMTT"u8.ToArray();

    public static void Save(string path, TensorBackend backend, TwoTowerNetwork network, ModelHeader header)
    {
        var tensors = Tensors(network);
        header = header with { Version = Version, Shape = network.Shape, Tensors = [.. tensors.Select(t => new TensorEntry(t.Name, t.Value.Rows, t.Value.Columns))] };
        TensorFile.Write(path, Magic, JsonSerializer.SerializeToUtf8Bytes(header), tensors.Select(t => backend.ToArray(t.Value)));
    }

    /// <summary>Reads the header only.</summary>
    public static ModelHeader ReadHeader(string path)
    {
        using var stream = File.OpenRead(path);
        return ReadHeader(stream, path);
    }

    /// <summary>A network on <paramref name="backend"/> (batches up to <paramref name="capacity"/> rows) with the file's weights.</summary>
    public static (TwoTowerNetwork Network, ModelHeader Header) Load(string path, TensorBackend backend, int capacity)
    {
        using var stream = File.OpenRead(path);
        var header = ReadHeader(stream, path);
        var network = new TwoTowerNetwork(backend, header.Shape, capacity, seed: 0);
        var tensors = Tensors(network);
        if (tensors.Count != header.Tensors.Count)
        {
            throw new InvalidDataException($"{path}: {header.Tensors.Count} tensors in the file, {tensors.Count} in the network of its shape.");
        }
        for (var t = 0; t < tensors.Count; t++)
        {
            var (name, value) = tensors[t];
            var entry = header.Tensors[t];
            if (entry.Name != name || entry.Rows != value.Rows || entry.Columns != value.Columns)
            {
                throw new InvalidDataException($"{path}: tensor {t} is {entry.Name} {entry.Rows}x{entry.Columns}; the network expects {name} {value.Rows}x{value.Columns}.");
            }
            var floats = TensorFile.ReadFloats(stream, value.Length, path, name);
            backend.Upload(floats, value);
        }
        TensorFile.EnsureEnd(stream, path);
        return (network, header);
    }

    private static List<(string Name, Tensor Value)> Tensors(TwoTowerNetwork network) =>
        [.. network.Parameters.Select(p => (p.Name, p.Value)), .. network.Buffers];

    private static ModelHeader ReadHeader(Stream stream, string path)
    {
        var json = TensorFile.ReadHeader(stream, path, Magic, "a two-tower model file");
        var header = JsonSerializer.Deserialize<ModelHeader>(json) ?? throw new InvalidDataException($"{path}: empty header.");
        if (header.Version != Version)
        {
            throw new InvalidDataException($"{path}: model file version {header.Version}; this build reads version {Version}.");
        }
        return header;
    }
}

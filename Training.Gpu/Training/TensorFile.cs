using System.Buffers.Binary;

namespace HmRec.Training.Gpu.Training;

/// <summary>
/// The layout shared by the model file and the training checkpoint: four magic bytes, a little-endian int32
/// header length, the header (UTF-8 JSON), then float32 arrays, little-endian, in the header's order.
/// Written under a temporary name and renamed, so a reader never sees half a file.
/// </summary>
internal static class TensorFile
{
    public static void Write(string path, ReadOnlySpan<byte> magic, byte[] header, IEnumerable<float[]> arrays)
    {
        var temp = $"{path}.tmp-{Environment.ProcessId}";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(magic);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var floats in arrays)
            {
                var bytes = new byte[floats.Length * 4];
                for (var i = 0; i < floats.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), floats[i]);
                }
                stream.Write(bytes);
            }
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads the magic and the header; <paramref name="kind"/> names the file in errors ("a two-tower model file").</summary>
    public static byte[] ReadHeader(Stream stream, string path, ReadOnlySpan<byte> magic, string kind)
    {
        Span<byte> prefix = stackalloc byte[8];
        if (stream.Read(prefix) != 8 || !prefix[..4].SequenceEqual(magic))
        {
            throw new InvalidDataException($"{path}: not {kind} (no {System.Text.Encoding.ASCII.GetString(magic)} header).");
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix[4..]);
        if (length <= 0 || length > stream.Length - 8)
        {
            throw new InvalidDataException($"{path}: header length {length} does not fit the file.");
        }
        var json = new byte[length];
        stream.ReadExactly(json);
        return json;
    }

    /// <summary>The next <paramref name="count"/> floats, or an error naming <paramref name="name"/> if the file ends first.</summary>
    public static float[] ReadFloats(Stream stream, int count, string path, string name)
    {
        var bytes = new byte[count * 4];
        if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
        {
            throw new InvalidDataException($"{path}: the file ends inside tensor {name}; it is truncated.");
        }
        var floats = new float[count];
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        }
        return floats;
    }

    public static void EnsureEnd(Stream stream, string path)
    {
        if (stream.Position != stream.Length)
        {
            throw new InvalidDataException($"{path}: {stream.Length - stream.Position} bytes after the last tensor.");
        }
    }
}

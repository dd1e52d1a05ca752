using System.Numerics.Tensors;

namespace HmRec.Activities.Recall;

/// <summary>
/// Dense article vectors from TF-IDF over the article text fields: the words of every field plus each
/// categorical value as a whole token (so "Trousers" the product type differs from a word in a description),
/// sublinear term frequency, smoothed IDF, then a seeded Gaussian random projection to a few dimensions
/// (Johnson-Lindenstrauss: cosines are kept approximately) and L2 normalisation. Deterministic for a seed.
/// Articles without metadata get no vector.
/// </summary>
public static class TextVectorizer
{
    /// <summary>Categorical fields whose whole value is also a token.</summary>
    internal static readonly IReadOnlyList<string> CategoricalFields =
        ["product_type_name", "product_group_name", "colour_group_name", "perceived_colour_master_name", "department_name", "index_name", "section_name", "garment_group_name", "graphical_appearance_name"];

    private static readonly HashSet<string> StopWords =
        ["a", "an", "and", "the", "with", "in", "on", "of", "at", "to", "for", "or", "by", "from", "is", "are", "has", "have", "that", "this", "it", "its", "as", "be", "made", "in", "at", "into", "one", "two"];

    /// <summary>Builds the vectors of every article with metadata and writes them as <c>article_idx, v0..v{d-1}</c>.</summary>
    public static long Write(AnalyticsSession session, string articlesParquet, string output, int dimensions, ulong seed)
    {
        var fields = string.Join(", ", CategoricalFields.Select(f => $"coalesce({f}, '')"));
        using var result = session.Connection.Query($"""
            SELECT article_idx, concat_ws(chr(31), {fields}, coalesce(detail_desc, '')) AS text
            FROM read_parquet({DuckDb.Quote(articlesParquet)}) WHERE has_metadata ORDER BY article_idx
            """);
        var rows = result.ReadAll();
        var ids = rows.Get<int>("article_idx").Values;
        var texts = rows.GetStrings("text").Values;
        var vectors = Vectorize(texts, dimensions, seed);

        session.Execute($"CREATE OR REPLACE TABLE text_vectors (article_idx INTEGER, {string.Join(", ", Enumerable.Range(0, dimensions).Select(d => $"v{d} FLOAT"))})");
        using (var appender = session.Connection.CreateAppender("text_vectors"))
        {
            for (var i = 0; i < ids.Length; i++)
            {
                var row = appender.CreateRow().AppendValue(ids[i]);
                foreach (var x in vectors.AsSpan(i * dimensions, dimensions))
                {
                    row.AppendValue(x);
                }
                row.EndRow();
            }
            appender.Close();
        }
        session.CopyToParquet("SELECT * FROM text_vectors ORDER BY article_idx", output);
        return ids.Length;
    }

    /// <summary>Row-major vectors, one per text, each of unit length (or zero when the text has no token).</summary>
    public static float[] Vectorize(IReadOnlyList<string?> texts, int dimensions, ulong seed)
    {
        var documents = texts.Select(t => Tokenize(t ?? "")).ToList();
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var doc in documents)
        {
            foreach (var token in doc.Keys)
            {
                df[token] = df.GetValueOrDefault(token) + 1;
            }
        }
        var projections = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var output = new float[documents.Count * dimensions];
        for (var i = 0; i < documents.Count; i++)
        {
            var row = output.AsSpan(i * dimensions, dimensions);
            foreach (var (token, count) in documents[i])
            {
                var idf = Math.Log((1.0 + documents.Count) / (1.0 + df[token])) + 1;
                var weight = (float)((1 + Math.Log(count)) * idf);
                if (!projections.TryGetValue(token, out var projection))
                {
                    projections[token] = projection = Projection(token, dimensions, seed);
                }
                TensorPrimitives.MultiplyAdd(projection, weight, row, row);
            }
            var norm = TensorPrimitives.Norm(row);
            if (norm > 0)
            {
                TensorPrimitives.Divide(row, norm, row);
            }
        }
        return output;
    }

    /// <summary>Token counts of one article: lower-case words of three letters or more, and each field's whole value.</summary>
    internal static Dictionary<string, int> Tokenize(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var values = text.Split('\u001f');
        for (var f = 0; f < values.Length; f++)
        {
            var value = values[f].Trim().ToLowerInvariant();
            if (value.Length == 0)
            {
                continue;
            }
            if (f < CategoricalFields.Count)
            {
                Add(counts, CategoricalFields[f] + "=" + value);
            }
            var word = new StringBuilder();
            foreach (var c in value + " ")
            {
                if (char.IsLetter(c))
                {
                    word.Append(c);
                    continue;
                }
                if (word.Length >= 3 && !StopWords.Contains(word.ToString()))
                {
                    Add(counts, word.ToString());
                }
                word.Clear();
            }
        }
        return counts;
    }

    private static void Add(Dictionary<string, int> counts, string token) => counts[token] = counts.GetValueOrDefault(token) + 1;

    /// <summary>The token's column of the random projection: standard normal values from a hash of the token and the seed.</summary>
    private static float[] Projection(string token, int dimensions, ulong seed)
    {
        var bytes = Encoding.UTF8.GetBytes(token);
        var state = seed ^ 0xCBF29CE484222325UL;
        foreach (var b in bytes)
        {
            state = (state ^ b) * 0x100000001B3UL; // FNV-1a over the token, seeded
        }
        var projection = new float[dimensions];
        for (var d = 0; d < dimensions; d += 2)
        {
            // Box-Muller over two uniforms from a splitmix64 stream seeded by the token.
            var u1 = (Next(ref state) >> 11) * (1.0 / (1UL << 53));
            var u2 = (Next(ref state) >> 11) * (1.0 / (1UL << 53));
            var r = Math.Sqrt(-2 * Math.Log(Math.Max(u1, 1e-300)));
            projection[d] = (float)(r * Math.Cos(2 * Math.PI * u2));
            if (d + 1 < dimensions)
            {
                projection[d + 1] = (float)(r * Math.Sin(2 * Math.PI * u2));
            }
        }
        return projection;
    }

    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

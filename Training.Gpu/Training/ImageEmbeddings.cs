namespace HmRec.Training.Gpu.Training;

/// <summary>
/// Image embeddings per article (a parquet file of <c>article_id</c> and <c>embedding</c>, a list of
/// floats, all of one length), indexed by the run's <c>article_idx</c> through its articles.parquet. Articles
/// without an embedding get zeros.
/// </summary>
public sealed class ImageEmbeddings
{
    private readonly Dictionary<int, float[]> byArticle;

    private ImageEmbeddings(Dictionary<int, float[]> byArticle, int dimensions)
    {
        this.byArticle = byArticle;
        Dimensions = dimensions;
    }

    public int Dimensions { get; }

    public int Count => byArticle.Count;

    public static ImageEmbeddings Load(DuckDBConnection connection, string embeddingsPath, string articlesPath)
    {
        static string Q(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
        foreach (var (path, what) in new[] { (embeddingsPath, "--image-embeddings"), (articlesPath, "--articles") })
        {
            if (!File.Exists(path))
            {
                throw new InputDataException(path, null, null, $"the file given by {what} does not exist");
            }
        }
        using (var describe = connection.Query($"DESCRIBE SELECT * FROM read_parquet({Q(embeddingsPath)})"))
        {
            var columns = describe.ReadAll().GetStrings("column_name").Values;
            foreach (var required in new[] { "article_id", "embedding" })
            {
                if (!columns.Contains(required))
                {
                    throw new InputDataException(embeddingsPath, null, required, "missing column; expected article_id and embedding (a list of floats)");
                }
            }
        }
        int[] lengths;
        using (var counted = connection.Query($"SELECT DISTINCT len(embedding)::INTEGER AS n FROM read_parquet({Q(embeddingsPath)}) WHERE embedding IS NOT NULL ORDER BY n"))
        {
            lengths = counted.ReadAll().Get<int>("n").Values;
        }
        if (lengths.Length != 1 || lengths[0] < 1)
        {
            throw new InputDataException(embeddingsPath, null, "embedding", $"every embedding must have one length of at least 1 (found lengths {string.Join(", ", lengths)})");
        }
        var dimensions = lengths[0];
        using var result = connection.Query($"""
            SELECT a.article_idx, unnest(e.embedding)::FLOAT AS v, generate_subscripts(e.embedding, 1) AS k
            FROM read_parquet({Q(embeddingsPath)}) e JOIN read_parquet({Q(articlesPath)}) a ON a.article_id = e.article_id::BIGINT
            WHERE e.embedding IS NOT NULL ORDER BY a.article_idx, k
            """);
        var rows = result.ReadAll();
        var articles = rows.Get<int>("article_idx").Values;
        var values = rows.Get<float>("v").Values;
        var map = new Dictionary<int, float[]>();
        for (var r = 0; r < articles.Length; r += dimensions)
        {
            map[articles[r]] = values.AsSpan(r, dimensions).ToArray();
        }
        return new ImageEmbeddings(map, dimensions);
    }

    /// <summary>The embedding of <paramref name="article"/> into <paramref name="target"/> (zeros when it has none).</summary>
    public void Copy(int article, Span<float> target)
    {
        if (byArticle.TryGetValue(article, out var v))
        {
            v.CopyTo(target);
        }
        else
        {
            target.Clear();
        }
    }
}

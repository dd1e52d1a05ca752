namespace HmRec.Shared.Data;

/// <summary>A model's scores as parquet: <c>customer_idx, article_idx, score</c>, one row per candidate (see <see cref="ModelFiles"/>).</summary>
public static class ScoreFile
{
    /// <summary>Writes the rows ordered by user and item, atomically (a temporary file renamed when complete).</summary>
    public static void Write(DuckDBConnection connection, ReadOnlySpan<int> users, ReadOnlySpan<int> items, ReadOnlySpan<float> scores, string path)
    {
        if (users.Length != items.Length || users.Length != scores.Length)
        {
            throw new ArgumentException($"{users.Length} users, {items.Length} items and {scores.Length} scores do not make rows.");
        }
        connection.Execute("CREATE OR REPLACE TEMP TABLE scores (customer_idx INTEGER, article_idx INTEGER, score FLOAT)");
        using (var appender = connection.CreateAppender("scores"))
        {
            for (var i = 0; i < users.Length; i++)
            {
                appender.CreateRow().AppendValue(users[i]).AppendValue(items[i]).AppendValue(scores[i]).EndRow();
            }
            appender.Close();
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        // What a killed writer of this file left behind goes first.
        Abandoned.Delete(directory, Path.GetFileName(path) + ".tmp-");
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            connection.Execute($"COPY (SELECT * FROM scores ORDER BY customer_idx, article_idx) TO '{temp.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet, COMPRESSION zstd)");
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
            connection.Execute("DROP TABLE IF EXISTS scores");
        }
    }
}

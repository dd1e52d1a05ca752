namespace HmRec.Training.Gpu.Training;

/// <summary>
/// Standardises feature columns with the training rows' mean and standard deviation (missing values
/// ignored), then sets missing values to 0, the mean. A constant column becomes 0.
/// </summary>
public sealed record Standardiser(IReadOnlyList<float> Mean, IReadOnlyList<float> Scale)
{
    /// <summary>Fits on row-major <paramref name="values"/> of <paramref name="columns"/> columns (NaN = missing).</summary>
    public static Standardiser Fit(ReadOnlySpan<float> values, int columns)
    {
        var fit = new Accumulator(columns);
        fit.Add(values);
        return fit.Result();
    }

    /// <summary>
    /// Fits on rows handed over a part at a time, in order: the same sums, in the same order, as <see cref="Fit"/> over
    /// all of them at once, so the same result.
    /// </summary>
    public sealed class Accumulator(int columns)
    {
        private readonly double[] sum = new double[columns];
        private readonly double[] squares = new double[columns];
        private readonly long[] count = new long[columns];

        /// <summary>Adds row-major <paramref name="values"/> (NaN = missing).</summary>
        public void Add(ReadOnlySpan<float> values)
        {
            var rows = columns == 0 ? 0 : values.Length / columns;
            for (var r = 0; r < rows; r++)
            {
                var row = values.Slice(r * columns, columns);
                for (var j = 0; j < columns; j++)
                {
                    if (!float.IsNaN(row[j]))
                    {
                        sum[j] += row[j];
                        squares[j] += (double)row[j] * row[j];
                        count[j]++;
                    }
                }
            }
        }

        public Standardiser Result()
        {
            var mean = new float[columns];
            var scale = new float[columns];
            for (var j = 0; j < columns; j++)
            {
                var m = count[j] > 0 ? sum[j] / count[j] : 0;
                var variance = count[j] > 0 ? Math.Max(0, squares[j] / count[j] - m * m) : 0;
                mean[j] = (float)m;
                scale[j] = variance > 1e-12 ? (float)(1 / Math.Sqrt(variance)) : 0;
            }
            return new Standardiser(mean, scale);
        }
    }

    /// <summary>Writes the standardised values of <paramref name="columnIndices"/> of <paramref name="row"/> to <paramref name="target"/>.</summary>
    public void Apply(ReadOnlySpan<float> row, IReadOnlyList<int> columnIndices, Span<float> target)
    {
        for (var k = 0; k < columnIndices.Count; k++)
        {
            var j = columnIndices[k];
            var v = row[j];
            target[k] = float.IsNaN(v) ? 0 : (v - Mean[j]) * Scale[j];
        }
    }
}

namespace HmRec.Shared.LightGbm;

/// <summary>
/// A LightGBM model: one boosting round at a time, the validation sets' scores after each round (kept
/// up to date by LightGBM, no new prediction), prediction on dense rows, feature importance, and
/// save/load as LightGBM's text model. Not thread-safe; use one booster per thread. The datasets it
/// trains on must outlive it.
/// </summary>
public sealed class LgbmBooster : IDisposable
{
    private readonly LgbmBoosterHandle handle;
    private readonly List<LgbmDataset> datasets = [];
    private readonly Dictionary<int, double[]> scoreBuffers = [];

    private LgbmBooster(LgbmBoosterHandle handle, int columns)
    {
        this.handle = handle;
        Columns = columns;
    }

    /// <summary>Features per row.</summary>
    public int Columns { get; }

    private LgbmBoosterHandle Handle => LgbmHandle.Use(handle, this);

    /// <summary>A new booster on <paramref name="train"/> with the given parameters (objective, learning_rate, num_leaves, seed...).</summary>
    public static LgbmBooster Create(LgbmDataset train, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var text = LgbmCheck.Parameters(parameters);
        var status = NativeMethods.BoosterCreate(train.Handle, text, out var pointer);
        LgbmCheck.Ok(status, "booster creation");
        var handle = new LgbmBoosterHandle();
        handle.Attach(pointer);
        var booster = new LgbmBooster(handle, train.Columns);
        booster.datasets.Add(train);
        return booster;
    }

    /// <summary>A booster read from a model file written by <see cref="Save"/>.</summary>
    public static LgbmBooster Load(string path)
    {
        LightGbmLibrary.EnsureLoaded();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No LightGBM model at {path}.", path);
        }
        LgbmCheck.Ok(NativeMethods.BoosterCreateFromModelfile(path, out _, out var pointer), $"loading {path}");
        return FromPointer(pointer);
    }

    /// <summary>A booster read from the text of <see cref="ToModelString"/>.</summary>
    public static LgbmBooster FromModelString(string model)
    {
        LightGbmLibrary.EnsureLoaded();
        LgbmCheck.Ok(NativeMethods.BoosterLoadModelFromString(model, out _, out var pointer), "loading a model from text");
        return FromPointer(pointer);
    }

    private static LgbmBooster FromPointer(IntPtr pointer)
    {
        var handle = new LgbmBoosterHandle();
        handle.Attach(pointer);
        LgbmCheck.Ok(NativeMethods.BoosterGetNumFeature(handle, out var columns), "reading the number of features");
        return new LgbmBooster(handle, columns);
    }

    /// <summary>Adds a validation set (binned with the training set as reference); returns its index for <see cref="ValidationScores"/>.</summary>
    public int AddValidation(LgbmDataset validation)
    {
        LgbmCheck.Ok(NativeMethods.BoosterAddValidData(Handle, validation.Handle), "adding a validation set");
        datasets.Add(validation);
        return datasets.Count - 1;
    }

    /// <summary>One boosting round; false when LightGBM found nothing left to split (training cannot improve).</summary>
    public bool UpdateOneIteration()
    {
        LgbmCheck.Ok(NativeMethods.BoosterUpdateOneIter(Handle, out var finished), "boosting round");
        return finished == 0;
    }

    /// <summary>Rounds boosted so far.</summary>
    public int Rounds
    {
        get
        {
            LgbmCheck.Ok(NativeMethods.BoosterGetCurrentIteration(Handle, out var rounds), "reading the number of rounds");
            return rounds;
        }
    }

    /// <summary>
    /// The current scores of every row of data set <paramref name="index"/> (0 is the training set, then the
    /// validation sets in order of <see cref="AddValidation"/>); a view of a buffer reused by the next call.
    /// </summary>
    public unsafe ReadOnlySpan<double> ValidationScores(int index)
    {
        if (index < 0 || index >= datasets.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Data set {index} does not exist; this booster has {datasets.Count}.");
        }
        if (!scoreBuffers.TryGetValue(index, out var buffer))
        {
            LgbmCheck.Ok(NativeMethods.BoosterGetNumPredict(Handle, index, out var length), "reading the prediction length");
            buffer = new double[length];
            scoreBuffers[index] = buffer;
        }
        long written;
        fixed (double* result = buffer)
        {
            LgbmCheck.Ok(NativeMethods.BoosterGetPredict(Handle, index, out written, result), "reading the scores of a data set");
        }
        return buffer.AsSpan(0, (int)written);
    }

    /// <summary>
    /// Scores of dense row-major rows using the first <paramref name="rounds"/> rounds (0: all), with LightGBM's
    /// prediction <paramref name="parameters"/> (for example <c>num_threads=2</c>; space separated).
    /// </summary>
    public unsafe double[] Predict(ReadOnlySpan<float> values, int rows, int rounds = 0, string parameters = "")
    {
        if (rows < 0 || (long)rows * Columns != values.Length)
        {
            throw new ArgumentException($"{rows} rows of {Columns} features need {(long)rows * Columns} values (got {values.Length}).", nameof(values));
        }
        var result = new double[rows];
        if (rows == 0)
        {
            return result;
        }
        long written;
        fixed (float* data = values)
        fixed (double* output = result)
        {
            LgbmCheck.Ok(NativeMethods.BoosterPredictForMat(Handle, data, NativeMethods.DTypeFloat32, rows, Columns, 1,
                NativeMethods.PredictNormal, 0, rounds, parameters, out written, output), "prediction");
        }
        if (written != rows)
        {
            throw new LightGbmException($"LightGBM prediction returned {written} values for {rows} rows; one score per row was expected.");
        }
        return result;
    }

    /// <summary>The feature names the model was trained with.</summary>
    public IReadOnlyList<string> FeatureNames()
    {
        const int Length = 256;
        var buffers = Enumerable.Range(0, Columns).Select(_ => Marshal.AllocHGlobal(Length)).ToArray();
        try
        {
            LgbmCheck.Ok(NativeMethods.BoosterGetFeatureNames(Handle, Columns, out var count, Length, out var needed, buffers), "reading feature names");
            if (needed > Length)
            {
                throw new LightGbmException($"A feature name is {needed} bytes long; names up to {Length - 1} bytes are supported.");
            }
            return buffers.Take(count).Select(p => Marshal.PtrToStringUTF8(p) ?? "").ToArray();
        }
        finally
        {
            foreach (var p in buffers)
            {
                Marshal.FreeHGlobal(p);
            }
        }
    }

    /// <summary>Total gain (or split count) of each feature over the first <paramref name="rounds"/> rounds (0: all), by feature name.</summary>
    public unsafe IReadOnlyDictionary<string, double> FeatureImportance(bool gain = true, int rounds = 0)
    {
        var values = new double[Columns];
        fixed (double* result = values)
        {
            LgbmCheck.Ok(NativeMethods.BoosterFeatureImportance(Handle, rounds, gain ? NativeMethods.ImportanceGain : NativeMethods.ImportanceSplit, result), "feature importance");
        }
        var names = FeatureNames();
        var map = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            map[names[i]] = values[i];
        }
        return map;
    }

    /// <summary>Saves the first <paramref name="rounds"/> rounds (0: all) as LightGBM's text model.</summary>
    public void Save(string path, int rounds = 0) =>
        LgbmCheck.Ok(NativeMethods.BoosterSaveModel(Handle, 0, rounds, NativeMethods.ImportanceGain, path), $"saving {path}");

    /// <summary>The first <paramref name="rounds"/> rounds (0: all) as LightGBM's text model.</summary>
    public unsafe string ToModelString(int rounds = 0)
    {
        LgbmCheck.Ok(NativeMethods.BoosterSaveModelToString(Handle, 0, rounds, NativeMethods.ImportanceGain, 0, out var length, null), "serialising the model");
        var bytes = new byte[length];
        fixed (byte* data = bytes)
        {
            LgbmCheck.Ok(NativeMethods.BoosterSaveModelToString(Handle, 0, rounds, NativeMethods.ImportanceGain, length, out length, data), "serialising the model");
        }
        return System.Text.Encoding.UTF8.GetString(bytes, 0, (int)Math.Max(0, length - 1));
    }

    public void Dispose() => handle.Dispose();
}

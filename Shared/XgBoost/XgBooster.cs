using System.Globalization;
using System.Runtime.InteropServices;

namespace HmRec.Shared.XgBoost;

/// <summary>
/// A gradient-boosted model: parameters, one boosting round at a time with evaluation, prediction,
/// feature scores and save/load (JSON or UBJSON). Not thread-safe; use one booster per thread.
/// </summary>
public sealed class XgBooster : IDisposable
{
    private readonly XgBoosterHandle handle;

    private XgBooster(XgBoosterHandle handle) => this.handle = handle;

    private XgBoosterHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle;
        }
    }

    /// <summary>A new booster that caches the given matrices (the training and evaluation sets).</summary>
    public static XgBooster Create(params XgDMatrix[] cache)
    {
        var pointers = cache.Select(m => m.Handle.DangerousGetHandle()).ToArray();
        var handle = new XgBoosterHandle();
        var status = NativeMethods.BoosterCreate(pointers, (ulong)pointers.Length, out var pointer);
        GC.KeepAlive(cache);
        XgCheck.Ok(status, "booster creation");
        handle.Attach(pointer);
        return new XgBooster(handle);
    }

    /// <summary>A booster loaded from a model file written by <see cref="Save"/>.</summary>
    public static XgBooster Load(string path)
    {
        var booster = Create();
        XgCheck.Ok(NativeMethods.BoosterLoadModel(booster.Handle, path), $"loading {path}");
        return booster;
    }

    /// <summary>A booster loaded from bytes written by <see cref="ToBytes"/>.</summary>
    public static unsafe XgBooster FromBytes(ReadOnlySpan<byte> model)
    {
        var booster = Create();
        fixed (byte* data = model)
        {
            XgCheck.Ok(NativeMethods.BoosterLoadModelFromBuffer(booster.Handle, data, (ulong)model.Length), "loading a model from memory");
        }
        return booster;
    }

    /// <summary>Sets one parameter (objective, eta, max_depth, eval_metric, seed, nthread...); XGBoost validates it when training starts.</summary>
    public XgBooster Set(string name, string value)
    {
        XgCheck.Ok(NativeMethods.BoosterSetParam(Handle, name, value), $"parameter {name}={value}");
        return this;
    }

    public XgBooster Set(string name, double value) => Set(name, value.ToString("R", CultureInfo.InvariantCulture));

    public XgBooster Set(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            Set(name, value);
        }
        return this;
    }

    /// <summary>Names of the features, saved with the model and used by <see cref="FeatureScores"/>.</summary>
    public XgBooster SetFeatureNames(IReadOnlyList<string> names)
    {
        XgCheck.WithUtf8(names, pointers =>
            XgCheck.Ok(NativeMethods.BoosterSetStrFeatureInfo(Handle, "feature_name", pointers, (ulong)pointers.Length), "setting feature names"));
        return this;
    }

    /// <summary>Rounds boosted so far.</summary>
    public int Rounds
    {
        get
        {
            XgCheck.Ok(NativeMethods.BoosterBoostedRounds(Handle, out var rounds), "reading the number of rounds");
            return rounds;
        }
    }

    /// <summary>One boosting round on <paramref name="train"/>.</summary>
    public void UpdateOneIteration(int iteration, XgDMatrix train)
    {
        XgCheck.Ok(NativeMethods.BoosterUpdateOneIter(Handle, iteration, train.Handle), $"boosting round {iteration}");
        GC.KeepAlive(train);
    }

    /// <summary>The evaluation metrics of the named matrices, parsed from XGBoost's "[i]\tname-metric:value" line.</summary>
    public IReadOnlyDictionary<string, double> Evaluate(int iteration, params (string Name, XgDMatrix Matrix)[] sets)
    {
        var matrices = sets.Select(s => s.Matrix.Handle.DangerousGetHandle()).ToArray();
        var names = sets.Select(s => Marshal.StringToCoTaskMemUTF8(s.Name)).ToArray();
        try
        {
            var status = NativeMethods.BoosterEvalOneIter(Handle, iteration, matrices, names, (ulong)sets.Length, out var result);
            GC.KeepAlive(sets);
            XgCheck.Ok(status, "evaluation");
            var line = Marshal.PtrToStringUTF8(result) ?? "";
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var part in line.Split('\t', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                var colon = part.LastIndexOf(':');
                if (colon > 0 && double.TryParse(part[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    metrics[part[..colon]] = value;
                }
            }
            return metrics;
        }
        finally
        {
            foreach (var p in names)
            {
                Marshal.FreeCoTaskMem(p);
            }
        }
    }

    /// <summary>Predictions for every row of <paramref name="data"/>, using the first <paramref name="rounds"/> rounds (0: all).</summary>
    public float[] Predict(XgDMatrix data, int rounds = 0, bool margin = false) => PredictView(data, rounds, margin).ToArray();

    /// <summary>
    /// <see cref="Predict"/> without the copy: a view of XGBoost's own buffer, valid until this booster's next
    /// prediction (for a score computed each round on a large matrix).
    /// </summary>
    public unsafe ReadOnlySpan<float> PredictView(XgDMatrix data, int rounds = 0, bool margin = false)
    {
        var config = $"{{\"type\": {(margin ? 1 : 0)}, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": {rounds}, \"strict_shape\": false}}";
        var status = NativeMethods.BoosterPredictFromDMatrix(Handle, data.Handle, config, out _, out var dimensions, out var result);
        GC.KeepAlive(data);
        XgCheck.Ok(status, "prediction");
        if (dimensions != 1)
        {
            throw new XgBoostException($"XGBoost prediction returned {dimensions} dimensions; one score per row was expected.");
        }
        return new ReadOnlySpan<float>((void*)result, data.Rows);
    }

    /// <summary>Feature importance of the given type (weight, gain, cover, total_gain, total_cover) by feature name; unused features are absent.</summary>
    public unsafe IReadOnlyDictionary<string, double> FeatureScores(string importanceType = "gain")
    {
        XgCheck.Ok(NativeMethods.BoosterFeatureScore(Handle, $"{{\"importance_type\": \"{importanceType}\"}}",
            out var count, out var features, out _, out _, out var scores), $"feature scores ({importanceType})");
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var names = (IntPtr*)features;
        var values = (float*)scores;
        for (var i = 0; i < (int)count; i++)
        {
            result[Marshal.PtrToStringUTF8(names[i])!] = values[i];
        }
        return result;
    }

    /// <summary>Saves the model; the format follows the extension (.json, else UBJSON).</summary>
    public void Save(string path) => XgCheck.Ok(NativeMethods.BoosterSaveModel(Handle, path), $"saving {path}");

    /// <summary>The model as bytes in "json" or "ubj" format.</summary>
    public unsafe byte[] ToBytes(string format = "ubj")
    {
        XgCheck.Ok(NativeMethods.BoosterSaveModelToBuffer(Handle, $"{{\"format\": \"{format}\"}}", out var length, out var data), $"serialising as {format}");
        return new ReadOnlySpan<byte>((void*)data, checked((int)length)).ToArray();
    }

    /// <summary>Stores a string attribute in the model (saved with it), or removes it when null.</summary>
    public void SetAttribute(string key, string? value) => XgCheck.Ok(NativeMethods.BoosterSetAttr(Handle, key, value), $"attribute {key}");

    public string? GetAttribute(string key)
    {
        XgCheck.Ok(NativeMethods.BoosterGetAttr(Handle, key, out var value, out var found), $"attribute {key}");
        return found == 0 ? null : Marshal.PtrToStringUTF8(value);
    }

    /// <summary>The loaded library's version, e.g. "1.7.4".</summary>
    public static string LibraryVersion
    {
        get
        {
            NativeMethods.Version(out var major, out var minor, out var patch);
            return $"{major}.{minor}.{patch}";
        }
    }

    public void Dispose() => handle.Dispose();
}

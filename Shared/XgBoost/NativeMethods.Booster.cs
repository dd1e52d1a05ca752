using System.Runtime.InteropServices;

namespace HmRec.Shared.XgBoost;

/// <summary>XGBoost C API: Booster training, evaluation, prediction, serialisation and feature scores.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib, EntryPoint = "XGBoosterCreate")]
    internal static partial int BoosterCreate(IntPtr[] matrices, ulong length, out IntPtr booster);

    [LibraryImport(Lib, EntryPoint = "XGBoosterFree")]
    internal static partial int BoosterFree(IntPtr booster);

    [LibraryImport(Lib, EntryPoint = "XGBoosterSetParam", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterSetParam(XgBoosterHandle booster, string name, string value);

    [LibraryImport(Lib, EntryPoint = "XGBoosterUpdateOneIter")]
    internal static partial int BoosterUpdateOneIter(XgBoosterHandle booster, int iteration, XgDMatrixHandle train);

    [LibraryImport(Lib, EntryPoint = "XGBoosterEvalOneIter")]
    internal static partial int BoosterEvalOneIter(XgBoosterHandle booster, int iteration, IntPtr[] matrices, IntPtr[] names, ulong length, out IntPtr result);

    [LibraryImport(Lib, EntryPoint = "XGBoosterPredictFromDMatrix", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterPredictFromDMatrix(XgBoosterHandle booster, XgDMatrixHandle matrix, string config, out IntPtr shape, out ulong dimensions, out IntPtr result);

    [LibraryImport(Lib, EntryPoint = "XGBoosterBoostedRounds")]
    internal static partial int BoosterBoostedRounds(XgBoosterHandle booster, out int rounds);

    [LibraryImport(Lib, EntryPoint = "XGBoosterSaveModel", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterSaveModel(XgBoosterHandle booster, string path);

    [LibraryImport(Lib, EntryPoint = "XGBoosterLoadModel", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterLoadModel(XgBoosterHandle booster, string path);

    [LibraryImport(Lib, EntryPoint = "XGBoosterSaveModelToBuffer", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterSaveModelToBuffer(XgBoosterHandle booster, string config, out ulong length, out IntPtr data);

    [LibraryImport(Lib, EntryPoint = "XGBoosterLoadModelFromBuffer")]
    internal static unsafe partial int BoosterLoadModelFromBuffer(XgBoosterHandle booster, byte* data, ulong length);

    [LibraryImport(Lib, EntryPoint = "XGBoosterFeatureScore", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterFeatureScore(XgBoosterHandle booster, string config, out ulong featureCount, out IntPtr features, out ulong dimensions, out IntPtr shape, out IntPtr scores);

    [LibraryImport(Lib, EntryPoint = "XGBoosterSetStrFeatureInfo", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterSetStrFeatureInfo(XgBoosterHandle booster, string field, IntPtr[] values, ulong length);

    [LibraryImport(Lib, EntryPoint = "XGBoosterSetAttr", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterSetAttr(XgBoosterHandle booster, string key, string? value);

    [LibraryImport(Lib, EntryPoint = "XGBoosterGetAttr", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterGetAttr(XgBoosterHandle booster, string key, out IntPtr value, out int success);
}

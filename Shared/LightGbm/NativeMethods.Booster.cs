namespace HmRec.Shared.LightGbm;

/// <summary>LightGBM C API: boosters (training, prediction, importance, save and load).</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterCreate", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterCreate(LgbmDatasetHandle train, string parameters, out IntPtr booster);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterCreateFromModelfile", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterCreateFromModelfile(string path, out int iterations, out IntPtr booster);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterLoadModelFromString", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterLoadModelFromString(string model, out int iterations, out IntPtr booster);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterFree")]
    internal static partial int BoosterFree(IntPtr booster);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterAddValidData")]
    internal static partial int BoosterAddValidData(LgbmBoosterHandle booster, LgbmDatasetHandle valid);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterUpdateOneIter")]
    internal static partial int BoosterUpdateOneIter(LgbmBoosterHandle booster, out int finished);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterGetCurrentIteration")]
    internal static partial int BoosterGetCurrentIteration(LgbmBoosterHandle booster, out int iteration);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterGetNumFeature")]
    internal static partial int BoosterGetNumFeature(LgbmBoosterHandle booster, out int features);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterGetFeatureNames")]
    internal static partial int BoosterGetFeatureNames(LgbmBoosterHandle booster, int count, out int written, nuint bufferLength, out nuint neededLength, [In] IntPtr[] buffers);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterGetNumPredict")]
    internal static partial int BoosterGetNumPredict(LgbmBoosterHandle booster, int dataIndex, out long length);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterGetPredict")]
    internal static unsafe partial int BoosterGetPredict(LgbmBoosterHandle booster, int dataIndex, out long length, double* result);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterPredictForMat", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int BoosterPredictForMat(LgbmBoosterHandle booster, void* data, int dataType, int rows, int columns, int isRowMajor,
        int predictType, int startIteration, int iterations, string parameters, out long length, double* result);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterFeatureImportance")]
    internal static unsafe partial int BoosterFeatureImportance(LgbmBoosterHandle booster, int iterations, int importanceType, double* result);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterSaveModel", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BoosterSaveModel(LgbmBoosterHandle booster, int startIteration, int iterations, int importanceType, string path);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterSaveModelToString")]
    internal static unsafe partial int BoosterSaveModelToString(LgbmBoosterHandle booster, int startIteration, int iterations, int importanceType,
        long bufferLength, out long length, byte* result);
}

namespace HmRec.Shared.LightGbm;

/// <summary>LightGBM C API: datasets.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib, EntryPoint = "LGBM_DatasetCreateFromMat", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int DatasetCreateFromMat(void* data, int dataType, int rows, int columns, int isRowMajor, string parameters, IntPtr reference, out IntPtr dataset);

    [LibraryImport(Lib, EntryPoint = "LGBM_DatasetCreateByReference")]
    internal static partial int DatasetCreateByReference(LgbmDatasetHandle reference, long totalRows, out IntPtr dataset);

    [LibraryImport(Lib, EntryPoint = "LGBM_DatasetPushRows")]
    internal static unsafe partial int DatasetPushRows(LgbmDatasetHandle dataset, void* data, int dataType, int rows, int columns, int startRow);

    [LibraryImport(Lib, EntryPoint = "LGBM_DatasetSetField", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int DatasetSetField(LgbmDatasetHandle dataset, string field, void* data, int count, int type);

    [LibraryImport(Lib, EntryPoint = "LGBM_DatasetSetFeatureNames")]
    internal static partial int DatasetSetFeatureNames(LgbmDatasetHandle dataset, [In] IntPtr[] names, int count);

    [LibraryImport(Lib, EntryPoint = "LGBM_DatasetGetNumData")]
    internal static partial int DatasetGetNumData(LgbmDatasetHandle dataset, out int rows);

    [LibraryImport(Lib, EntryPoint = "LGBM_DatasetFree")]
    internal static partial int DatasetFree(IntPtr dataset);
}

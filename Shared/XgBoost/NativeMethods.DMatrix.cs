using System.Runtime.InteropServices;

namespace HmRec.Shared.XgBoost;

/// <summary>XGBoost C API: DMatrix.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib, EntryPoint = "XGDMatrixCreateFromMat")]
    internal static unsafe partial int DMatrixCreateFromMat(float* data, ulong rows, ulong columns, float missing, out IntPtr matrix);

    [LibraryImport(Lib, EntryPoint = "XGDMatrixFree")]
    internal static partial int DMatrixFree(IntPtr matrix);

    [LibraryImport(Lib, EntryPoint = "XGDMatrixSetFloatInfo", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int DMatrixSetFloatInfo(XgDMatrixHandle matrix, string field, float* values, ulong length);

    [LibraryImport(Lib, EntryPoint = "XGDMatrixSetUIntInfo", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int DMatrixSetUIntInfo(XgDMatrixHandle matrix, string field, uint* values, ulong length);

    [LibraryImport(Lib, EntryPoint = "XGDMatrixSetStrFeatureInfo", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int DMatrixSetStrFeatureInfo(XgDMatrixHandle matrix, string field, IntPtr[] values, ulong length);

    [LibraryImport(Lib, EntryPoint = "XGDMatrixNumRow")]
    internal static partial int DMatrixNumRow(XgDMatrixHandle matrix, out ulong rows);

    [LibraryImport(Lib, EntryPoint = "XGDMatrixNumCol")]
    internal static partial int DMatrixNumCol(XgDMatrixHandle matrix, out ulong columns);
}

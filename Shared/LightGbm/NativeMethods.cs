namespace HmRec.Shared.LightGbm;

// We bind LightGBM's C API ourselves: ML.NET's wrapper has no rank_xendcg and no per-round hook for our
// MAP@12 early stopping. lib_lightgbm.so comes from the LightGBM NuGet package (runtimes/linux-x64/native).

/// <summary>LightGBM C API (c_api.h, 4.7): errors and the log callback.</summary>
internal static partial class NativeMethods
{
    private const string Lib = "lib_lightgbm";

    internal const int DTypeFloat32 = 0;
    internal const int DTypeFloat64 = 1;
    internal const int DTypeInt32 = 2;

    internal const int PredictNormal = 0;

    internal const int ImportanceSplit = 0;
    internal const int ImportanceGain = 1;

    [LibraryImport(Lib, EntryPoint = "LGBM_GetLastError")]
    internal static partial IntPtr GetLastError();

    [LibraryImport(Lib, EntryPoint = "LGBM_RegisterLogCallback")]
    internal static unsafe partial int RegisterLogCallback(delegate* unmanaged<IntPtr, void> callback);
}

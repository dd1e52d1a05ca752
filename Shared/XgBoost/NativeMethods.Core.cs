using System.Runtime.InteropServices;

namespace HmRec.Shared.XgBoost;

/// <summary>XGBoost C API (c_api.h, 1.7): errors, version and global configuration.</summary>
internal static partial class NativeMethods
{
    private const string Lib = "xgboost";

    [LibraryImport(Lib, EntryPoint = "XGBGetLastError")]
    internal static partial IntPtr GetLastError();

    [LibraryImport(Lib, EntryPoint = "XGBoostVersion")]
    internal static partial void Version(out int major, out int minor, out int patch);

    [LibraryImport(Lib, EntryPoint = "XGBSetGlobalConfig", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SetGlobalConfig(string config);
}

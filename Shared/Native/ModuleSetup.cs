using System.Runtime.CompilerServices;

namespace HmRec.Shared.Native;

internal static class ModuleSetup
{
    // The resolver must be in place before the first P/Invoke of this assembly, whoever the caller is;
    // a module initializer is the one hook that guarantees that for a library.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterNativeLibraries() =>
        NativeLibraryResolver.Register(typeof(ModuleSetup).Assembly, NativeLibraryResolver.DuckDb);
}

namespace HmRec.Shared.Native;

/// <summary>
/// The C environment of the process. .NET keeps its own copy of the environment, so a variable that a native
/// library reads with getenv when it is loaded (OpenMP's, OpenBLAS's) must be set here, before the load.
/// </summary>
public static partial class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> unless it is already set (the user's choice wins); returns the value in force.</summary>
    public static string? SetDefault(string name, string value)
    {
        _ = SetEnv(name, value, overwrite: 0);
        return Get(name);
    }

    /// <summary>The variable's value in the C environment, or null.</summary>
    public static string? Get(string name) => Marshal.PtrToStringUTF8(GetEnv(name));

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}

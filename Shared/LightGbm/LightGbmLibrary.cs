using System.Runtime.CompilerServices;
using HmRec.Shared.Native;

namespace HmRec.Shared.LightGbm;

/// <summary>
/// Loads lib_lightgbm once per process, after two things that must precede the load: OpenMP's wait policy
/// set to PASSIVE in the native environment (unless the user chose one; with the default policy idle
/// OpenMP threads spin, and two models training at once run many times slower), and LightGBM's log routed
/// through its callback to the sink of the calling thread (<see cref="Capture"/>) instead of stdout.
/// LightGBM keeps its log callback per thread, so every entry point of the binding calls
/// <see cref="EnsureLoaded"/>, which registers it on each new calling thread.
/// </summary>
public static partial class LightGbmLibrary
{
    private static readonly Lock Gate = new();
    private static bool initialized;

    [ThreadStatic]
    private static Action<string>? sink;

    [ThreadStatic]
    private static StringBuilder? pending;

    [ThreadStatic]
    private static bool registered;

    /// <summary>The OpenMP wait policy the library was loaded with.</summary>
    public static string? WaitPolicy { get; private set; }

    /// <summary>Prepares the environment and loads the library once, and routes the calling thread's log.</summary>
    public static void EnsureLoaded()
    {
        if (registered)
        {
            return;
        }
        lock (Gate)
        {
            if (!initialized)
            {
                WaitPolicy = NativeEnvironment.SetDefault("OMP_WAIT_POLICY", "PASSIVE");
                initialized = true;
            }
        }
        unsafe
        {
            LgbmCheck.Ok(NativeMethods.RegisterLogCallback(&OnLog), "log callback registration");
        }
        registered = true;
    }

    /// <summary>Sends LightGBM's log lines written on this thread to <paramref name="lineSink"/> until disposed.</summary>
    public static IDisposable Capture(Action<string> lineSink)
    {
        EnsureLoaded();
        var previous = sink;
        sink = lineSink;
        return new Restore(previous);
    }

    [UnmanagedCallersOnly]
    private static void OnLog(IntPtr message)
    {
        // LightGBM writes one line in several calls (prefix, text, "\n"): gather them per thread.
        var text = Marshal.PtrToStringUTF8(message) ?? "";
        var buffer = pending ??= new StringBuilder();
        buffer.Append(text);
        if (!text.EndsWith('\n'))
        {
            return;
        }
        var line = buffer.ToString().TrimEnd();
        buffer.Clear();
        if (line.Length == 0)
        {
            return;
        }
        try
        {
            // A thread that calls LightGBM outside a Capture drops its lines: they are kept out of the console.
            sink?.Invoke(line);
        }
        catch (Exception)
        {
            // An exception must not cross into native code; a lost log line is the lesser harm.
        }
    }

    private sealed class Restore(Action<string>? previous) : IDisposable
    {
        public void Dispose() => sink = previous;
    }
}

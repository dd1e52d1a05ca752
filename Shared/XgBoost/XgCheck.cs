using System.Runtime.InteropServices;

namespace HmRec.Shared.XgBoost;

/// <summary>The one path that turns an XGBoost status into an <see cref="XgBoostException"/>, and string marshalling.</summary>
internal static class XgCheck
{
    /// <summary>Throws when <paramref name="status"/> is not 0, with XGBoost's message read on this thread.</summary>
    internal static void Ok(int status, string operation)
    {
        if (status == 0)
        {
            return;
        }
        var message = Marshal.PtrToStringUTF8(NativeMethods.GetLastError());
        throw new XgBoostException(string.IsNullOrWhiteSpace(message) ? $"XGBoost {operation} failed." : $"XGBoost {operation}: {message.Trim()}");
    }

    /// <summary>Calls <paramref name="call"/> with the strings as an array of UTF-8 C strings, freed afterwards.</summary>
    internal static void WithUtf8(IReadOnlyList<string> strings, Action<IntPtr[]> call)
    {
        var pointers = strings.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        try
        {
            call(pointers);
        }
        finally
        {
            foreach (var p in pointers)
            {
                Marshal.FreeCoTaskMem(p);
            }
        }
    }
}

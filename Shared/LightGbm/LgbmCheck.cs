namespace HmRec.Shared.LightGbm;

/// <summary>The one path that turns a LightGBM status into a <see cref="LightGbmException"/>, and string marshalling.</summary>
internal static class LgbmCheck
{
    /// <summary>Throws when <paramref name="status"/> is not 0, with LightGBM's message read on this thread.</summary>
    internal static void Ok(int status, string operation)
    {
        if (status == 0)
        {
            return;
        }
        var message = Marshal.PtrToStringUTF8(NativeMethods.GetLastError());
        throw new LightGbmException(string.IsNullOrWhiteSpace(message) ? $"LightGBM {operation} failed." : $"LightGBM {operation}: {message.Trim()}");
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

    /// <summary>LightGBM's parameter string: <c>key=value</c> pairs separated by spaces.</summary>
    internal static string Parameters(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var parts = new List<string>();
        foreach (var (key, value) in parameters)
        {
            if (key.Length == 0 || key.Any(char.IsWhiteSpace) || value.Any(char.IsWhiteSpace) || key.Contains('='))
            {
                throw new ArgumentException($"LightGBM parameter '{key}={value}': names and values cannot be empty or hold spaces.");
            }
            parts.Add($"{key}={value}");
        }
        return string.Join(' ', parts);
    }
}

namespace HmRec.Cli.Commands;

/// <summary>Peak resident memory of this process (VmHWM), native libraries included.</summary>
internal static class PeakMemory
{
    public static long Bytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        return Environment.WorkingSet;
    }

    public static string Describe() => $"{Bytes() / (1024.0 * 1024 * 1024):F2} GiB";
}

using System.Text.RegularExpressions;

namespace HmRec.Shared.Options;

/// <summary>Sizes in DuckDB's notation: a number and a unit, KB/MB/GB/TB (powers of 1000) or KiB/MiB/GiB/TiB (powers of 1024).</summary>
public static partial class MemorySize
{
    /// <summary>The bytes of <paramref name="size"/>, or null when it is not a size such as '4GB' or '512MiB'.</summary>
    public static long? TryParse(string? size)
    {
        var match = size is null ? null : SizePattern().Match(size);
        if (match is not { Success: true })
        {
            return null;
        }
        var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups[2].Value.ToUpperInvariant();
        var scale = unit switch
        {
            "" or "B" => 1d,
            "KB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            "TB" => 1e12,
            "KIB" => 1024d,
            "MIB" => 1024d * 1024,
            "GIB" => 1024d * 1024 * 1024,
            _ => 1024d * 1024 * 1024 * 1024,
        };
        var bytes = number * scale;
        return bytes is >= 1 and < long.MaxValue ? (long)bytes : null;
    }

    /// <summary><paramref name="size"/> split in <paramref name="parts"/> equal parts, in KiB (at least 1 MiB each).</summary>
    public static string Divide(string size, int parts)
    {
        var bytes = TryParse(size) ?? throw new ArgumentException($"'{size}' is not a size such as '4GB' or '512MiB'.", nameof(size));
        var kib = Math.Max(1024, bytes / Math.Max(1, parts) / 1024);
        return kib.ToString(CultureInfo.InvariantCulture) + "KiB";
    }

    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*(B|[KMGT]i?B)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}

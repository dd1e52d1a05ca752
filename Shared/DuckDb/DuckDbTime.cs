namespace HmRec.Shared.DuckDb;

/// <summary>Conversions between DuckDB's DATE (days since 1970-01-01) and TIMESTAMP (µs since the epoch) and .NET.</summary>
public static class DuckDbTime
{
    private static readonly DateOnly EpochDate = new(1970, 1, 1);

    public static int ToDays(DateOnly date) => date.DayNumber - EpochDate.DayNumber;

    public static DateOnly FromDays(int days) => DateOnly.FromDayNumber(EpochDate.DayNumber + days);

    /// <summary>A UTC or unspecified-kind time is taken as UTC; a local time is converted.</summary>
    public static long ToMicros(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);
        return (utc - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
    }

    public static DateTime FromMicros(long micros) => DateTime.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);
}

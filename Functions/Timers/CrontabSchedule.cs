using System.Globalization;

namespace HmRec.Functions.Timers;

/// <summary>
/// A six-field NCRONTAB schedule, as Azure Functions timer triggers write them:
/// <c>{second} {minute} {hour} {day} {month} {day-of-week}</c>. Each field is <c>*</c>, a value, a range
/// <c>a-b</c>, a step <c>*/n</c>, <c>a-b/n</c> or <c>a/n</c>, or a comma-separated list of those; months
/// may be written Jan-Dec and days Sun-Sat (0 or 7 is Sunday). A time matches when every field matches,
/// day and day-of-week included (both must hold when both are restricted, as NCrontab does).
/// </summary>
public sealed class CrontabSchedule
{
    private static readonly string[] FieldNames = ["second", "minute", "hour", "day", "month", "day-of-week"];
    private static readonly (int Min, int Max)[] Ranges = [(0, 59), (0, 59), (0, 23), (1, 31), (1, 12), (0, 7)];
    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] Days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly bool[][] fields;

    private CrontabSchedule(string expression, bool[][] fields)
    {
        Expression = expression;
        this.fields = fields;
    }

    public string Expression { get; }

    /// <summary>Parses <paramref name="expression"/>; a bad one throws a <see cref="FormatException"/> naming the field and what it expected.</summary>
    public static CrontabSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var parts = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6)
        {
            throw new FormatException($"'{expression}' has {parts.Length} fields; an NCRONTAB schedule has six: second minute hour day month day-of-week, e.g. '0 0 3 * * Mon'.");
        }
        var fields = new bool[6][];
        for (var f = 0; f < 6; f++)
        {
            fields[f] = ParseField(expression, f, parts[f]);
        }
        if (fields[5][7])
        {
            fields[5][0] = true; // 7 is Sunday too
        }
        return new CrontabSchedule(expression, fields);
    }

    /// <summary>The first matching time strictly after <paramref name="after"/> (wall-clock, whole seconds; the kind is kept), within five years, else null.</summary>
    public DateTime? Next(DateTime after)
    {
        var start = new DateTime(after.Ticks - after.Ticks % TimeSpan.TicksPerSecond, after.Kind).AddSeconds(1);
        var day = start.Date;
        for (var i = 0; i < 366 * 5; i++, day = day.AddDays(1))
        {
            if (!fields[4][day.Month] || !fields[3][day.Day] || !fields[5][(int)day.DayOfWeek])
            {
                continue;
            }
            var sameDay = day == start.Date;
            for (var h = sameDay ? start.Hour : 0; h < 24; h++)
            {
                if (!fields[2][h])
                {
                    continue;
                }
                var sameHour = sameDay && h == start.Hour;
                for (var m = sameHour ? start.Minute : 0; m < 60; m++)
                {
                    if (!fields[1][m])
                    {
                        continue;
                    }
                    for (var s = sameHour && m == start.Minute ? start.Second : 0; s < 60; s++)
                    {
                        if (fields[0][s])
                        {
                            return new DateTime(day.Year, day.Month, day.Day, h, m, s, after.Kind);
                        }
                    }
                }
            }
        }
        return null;
    }

    /// <summary>The next occurrence after <paramref name="afterUtc"/>, reading the schedule in <paramref name="zone"/>, as UTC (times a DST change skips are skipped).</summary>
    public DateTime? NextUtc(DateTime afterUtc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(afterUtc, DateTimeKind.Utc), zone);
        for (var i = 0; i < 10_000; i++)
        {
            if (Next(DateTime.SpecifyKind(local, DateTimeKind.Unspecified)) is not { } next)
            {
                return null;
            }
            if (!zone.IsInvalidTime(next))
            {
                var utc = TimeZoneInfo.ConvertTimeToUtc(next, zone);
                if (utc > afterUtc)
                {
                    return utc;
                }
            }
            local = next;
        }
        return null;
    }

    public override string ToString() => Expression;

    private static bool[] ParseField(string expression, int field, string text)
    {
        var (min, max) = Ranges[field];
        var set = new bool[max + 1];
        foreach (var item in text.Split(','))
        {
            var (rangeText, stepText) = item.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? (item[..slash], item[(slash + 1)..]) : (item, null);
            int from, to;
            if (rangeText == "*")
            {
                (from, to) = (min, field == 5 ? 6 : max);
            }
            else if (rangeText.IndexOf('-', StringComparison.Ordinal) is var dash and > 0)
            {
                from = Value(expression, field, rangeText[..dash]);
                to = Value(expression, field, rangeText[(dash + 1)..]);
                if (to < from)
                {
                    throw Error(expression, field, item, $"the range ends before it starts");
                }
            }
            else
            {
                from = Value(expression, field, rangeText);
                to = stepText is null ? from : (field == 5 ? 6 : max);
            }
            var step = 1;
            if (stepText is not null && (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1))
            {
                throw Error(expression, field, item, "the step after '/' must be a whole number of at least 1");
            }
            for (var v = from; v <= to; v += step)
            {
                set[v] = true;
            }
        }
        return set;
    }

    private static int Value(string expression, int field, string text)
    {
        var (min, max) = Ranges[field];
        var names = field == 4 ? Months : field == 5 ? Days : null;
        if (names is not null && Array.FindIndex(names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is var index and >= 0)
        {
            return field == 4 ? index + 1 : index;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            var allowed = names is null ? $"{min}-{max}" : $"{min}-{max} or {string.Join(", ", names.Select(n => n[0] + n[1..].ToLowerInvariant()))}";
            throw Error(expression, field, text, $"expected {allowed}");
        }
        return value;
    }

    private static FormatException Error(string expression, int field, string token, string problem) =>
        new($"'{expression}': the {FieldNames[field]} field '{token}' is not valid: {problem}.");
}

using NCrontab;
using Schedule = NCrontab.CrontabSchedule;

namespace HmRec.Cli.Timers;

/// <summary>
/// A six-field NCRONTAB schedule, as Azure Functions timer triggers write them:
/// <c>{second} {minute} {hour} {day} {month} {day-of-week}</c>, parsed and stepped by NCrontab (the library the
/// Functions host uses), read in a time zone.
/// </summary>
public sealed class CrontabSchedule
{
    private static readonly (CrontabFieldKind Kind, string Name)[] Fields =
    [
        (CrontabFieldKind.Second, "second"), (CrontabFieldKind.Minute, "minute"), (CrontabFieldKind.Hour, "hour"),
        (CrontabFieldKind.Day, "day"), (CrontabFieldKind.Month, "month"), (CrontabFieldKind.DayOfWeek, "day-of-week"),
    ];

    private readonly Schedule schedule;

    private CrontabSchedule(string expression, Schedule schedule)
    {
        Expression = expression;
        this.schedule = schedule;
    }

    public string Expression { get; }

    /// <summary>Parses <paramref name="expression"/>; a bad one throws a <see cref="FormatException"/> naming the field and what NCrontab expected.</summary>
    public static CrontabSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var parts = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6)
        {
            throw new FormatException($"'{expression}' has {parts.Length} fields; an NCRONTAB schedule has six: second minute hour day month day-of-week, e.g. '0 0 3 * * Mon'.");
        }
        for (var f = 0; f < Fields.Length; f++)
        {
            try
            {
                CrontabField.Parse(Fields[f].Kind, parts[f]);
            }
            catch (CrontabException e)
            {
                throw new FormatException($"'{expression}': the {Fields[f].Name} field '{parts[f]}' is not valid: {e.Message.TrimEnd('.')}.", e);
            }
        }
        return new CrontabSchedule(expression, Schedule.Parse(expression, new Schedule.ParseOptions { IncludingSeconds = true }));
    }

    /// <summary>The first matching time strictly after <paramref name="after"/> (wall-clock; the kind is kept), within five years, else null.</summary>
    public DateTime? Next(DateTime after)
    {
        var end = after.AddYears(5);
        var next = schedule.GetNextOccurrence(after, end);
        return next >= end ? null : DateTime.SpecifyKind(next, after.Kind);
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
}

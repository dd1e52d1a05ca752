using HmRec.Cli.Timers;

namespace HmRec.Cli.Tests.Timers;

public sealed class CrontabScheduleTests
{
    /// <summary>Sunday 2026-11-22 10:17:30.</summary>
    private static readonly DateTime Base = new(2026, 11, 22, 10, 17, 30);

    [Theory]
    // The examples of the Azure Functions timer trigger documentation.
    [InlineData("0 */5 * * * *", "2026-11-22 10:20:00")] // once every five minutes
    [InlineData("0 0 * * * *", "2026-11-22 11:00:00")] // at the top of every hour
    [InlineData("0 0 */2 * * *", "2026-11-22 12:00:00")] // every two hours
    [InlineData("0 0 9-17 * * *", "2026-11-22 11:00:00")] // every hour from 9 AM to 5 PM
    [InlineData("0 30 9 * * *", "2026-11-23 09:30:00")] // at 9:30 AM every day
    [InlineData("0 30 9 * * 1-5", "2026-11-23 09:30:00")] // at 9:30 AM every weekday
    [InlineData("0 30 9 * Jan Mon", "2027-01-04 09:30:00")] // at 9:30 AM every Monday in January
    // The retrain default and other forms.
    [InlineData("0 0 3 * * Mon", "2026-11-23 03:00:00")]
    [InlineData("*/15 * * * * *", "2026-11-22 10:17:45")]
    [InlineData("30 17 10 * * *", "2026-11-23 10:17:30")] // strictly after
    [InlineData("0 0 0 29 Feb *", "2028-02-29 00:00:00")]
    [InlineData("0 0 0 31 * *", "2026-12-31 00:00:00")]
    [InlineData("0 0 12 * * sun", "2026-11-22 12:00:00")]
    [InlineData("0 15,45 10 * * *", "2026-11-22 10:45:00")]
    [InlineData("0 0 8/6 * * *", "2026-11-22 14:00:00")]
    [InlineData("0 0 0 1 */3 *", "2027-01-01 00:00:00")]
    [InlineData("0 0 0 13 * Fri", "2027-08-13 00:00:00")] // day and day-of-week must both hold
    public void Next_DocumentedAndOtherSchedules(string expression, string expected) =>
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), CrontabSchedule.Parse(expression).Next(Base));

    [Fact]
    public void Next_WorkingHours_RollToTheNextDay()
    {
        var schedule = CrontabSchedule.Parse("0 0 9-17 * * *");
        Assert.Equal(new DateTime(2026, 11, 23, 9, 0, 0), schedule.Next(new DateTime(2026, 11, 22, 17, 30, 0)));
        var weekdays = CrontabSchedule.Parse("0 30 9 * * 1-5");
        Assert.Equal(new DateTime(2026, 11, 30, 9, 30, 0), weekdays.Next(new DateTime(2026, 11, 27, 10, 0, 0)));
    }

    [Theory]
    [InlineData("0 0 3 * *", "six")]
    [InlineData("0 60 * * * *", "minute field '60'")]
    [InlineData("0 0 24 * * *", "hour field '24'")]
    [InlineData("0 0 3 0 * *", "day field '0'")]
    [InlineData("0 0 3 * Foo *", "month field 'Foo'")]
    [InlineData("0 0 3 * * Funday", "day-of-week field 'Funday'")]
    [InlineData("0 0 12 * * 7", "day-of-week field '7'")] // NCrontab, as the Functions host: Sunday is 0 only
    [InlineData("0 a * * * *", "minute field 'a'")]
    public void Parse_Invalid_NamesTheField(string expression, string expected)
    {
        var error = Assert.Throws<FormatException>(() => CrontabSchedule.Parse(expression));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NextUtc_ReadsTheScheduleInTheTimeZone_AndSkipsTimesADstChangeRemoves()
    {
        var stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
        var daily = CrontabSchedule.Parse("0 0 3 * * *");
        Assert.Equal(new DateTime(2026, 11, 23, 2, 0, 0, DateTimeKind.Utc), daily.NextUtc(new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc), stockholm));
        Assert.Equal(new DateTime(2026, 11, 23, 3, 0, 0, DateTimeKind.Utc), daily.NextUtc(new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc), TimeZoneInfo.Utc));
        // 2027-03-28 02:30 does not exist in Stockholm (clocks go from 02:00 to 03:00): the next is the 29th.
        var gap = CrontabSchedule.Parse("0 30 2 * * *");
        Assert.Equal(new DateTime(2027, 3, 29, 0, 30, 0, DateTimeKind.Utc), gap.NextUtc(new DateTime(2027, 3, 27, 12, 0, 0, DateTimeKind.Utc), stockholm));
    }
}

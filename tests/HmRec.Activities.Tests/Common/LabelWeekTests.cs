namespace HmRec.Activities.Tests.Common;

public sealed class LabelWeekTests
{
    private static int Day(int year, int month, int day) => new DateOnly(year, month, day).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    [Fact]
    public void Of_ValidationAndTrainingWeeks_EndOnTheLastDayAndFollowEachOtherWithoutGaps()
    {
        var last = new DateOnly(2020, 9, 22);
        var validation = LabelWeek.Of(last, 0);
        Assert.Equal(new LabelWeek(0, Day(2020, 9, 16), Day(2020, 9, 22)), validation);
        Assert.True(validation.IsValidation);
        var training = LabelWeek.Of(last, 1);
        Assert.Equal(new LabelWeek(1, Day(2020, 9, 9), Day(2020, 9, 15)), training);
        Assert.False(training.IsValidation);
        Assert.Equal(training.LastDay + 1, validation.CutoffDay);
    }
}

namespace HmRec.Durable.Tests;

/// <summary>A clock that moves only when a test moves it.</summary>
public sealed class FakeClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    public FakeClock()
        : this(new DateTimeOffset(2026, 1, 5, 3, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}

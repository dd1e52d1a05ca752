namespace HmRec.Cli.Tests.Host;

public sealed class HostStartTests : IDisposable
{
    private readonly TempFolder store = new("host");

    public void Dispose() => store.Dispose();

    [Theory]
    [InlineData("0 0 25 * * Mon", "UTC", "http://127.0.0.1:0", "HMREC_RETRAIN_SCHEDULE: '0 0 25 * * Mon': the hour field '25'")]
    [InlineData("0 0 3 * * Mon", "Mars/Olympus_Mons", "http://127.0.0.1:0", "WEBSITE_TIME_ZONE: 'Mars/Olympus_Mons'")]
    [InlineData("0 0 3 * * Mon", "UTC", "http://0.0.0.0:7071", "--urls: 'http://0.0.0.0:7071' is not an http:// address on the loopback")]
    public async Task Start_BadSetting_FailsAtOnceNamingIt(string schedule, string zone, string url, string expected)
    {
        var settings = new HostSettings(new DurableTaskOptions(), new AppSettings { RetrainSchedule = schedule, TimeZone = zone });
        var error = await Assert.ThrowsAsync<ArgumentException>(() => HttpHost.StartAsync(settings, store, [url]));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadRetrainOptions_FailsAtOnceNamingThem()
    {
        var settings = new HostSettings(new DurableTaskOptions(), new AppSettings { RetrainOptions = """{"training": {"maxRounds": 0}}""" });
        var error = await Assert.ThrowsAsync<ArgumentException>(() => HttpHost.StartAsync(settings, store, ["http://127.0.0.1:0"]));
        Assert.StartsWith("HMREC_RETRAIN_OPTIONS: Training.MaxRounds must be between 1 and 100,000 (got 0).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NoKeysInTheSettings_GeneratesThemOnceAndKeepsThem()
    {
        var settings = new HostSettings(new DurableTaskOptions(), new AppSettings());
        FunctionKeys first;
        await using (var host = await HttpHost.StartAsync(settings, store, ["http://127.0.0.1:0"]))
        {
            first = host.Keys;
            await host.StopAsync(TimeSpan.FromSeconds(10));
        }
        await using var again = await HttpHost.StartAsync(settings, store, ["http://127.0.0.1:0"]);
        Assert.Equal(first, again.Keys);
        Assert.True(first.FunctionKey.Length >= 40 && first.SystemKey.Length >= 40 && first.FunctionKey != first.SystemKey);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(store, FunctionKeys.File)));
        }
        await again.StopAsync(TimeSpan.FromSeconds(10));
    }
}

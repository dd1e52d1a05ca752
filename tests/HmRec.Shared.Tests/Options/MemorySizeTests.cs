namespace HmRec.Shared.Tests.Options;

public sealed class MemorySizeTests
{
    [Theory]
    [InlineData("4GB", 4_000_000_000L)]
    [InlineData("512MiB", 536_870_912L)]
    [InlineData(" 1.5 gb ", 1_500_000_000L)]
    [InlineData("2TiB", 2_199_023_255_552L)]
    [InlineData("1000", 1000L)]
    public void TryParse_DuckDbSizes_GivesBytes(string size, long bytes) => Assert.Equal(bytes, MemorySize.TryParse(size));

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("-1GB")]
    [InlineData("4 GBs")]
    [InlineData("0GB")]
    public void TryParse_NotASize_GivesNull(string size) => Assert.Null(MemorySize.TryParse(size));

    [Fact]
    public void Divide_SplitsInKibibytesAndKeepsAtLeastOneMebibyte()
    {
        Assert.Equal("1953125KiB", MemorySize.Divide("4GB", 2));
        Assert.Equal("1048576KiB", MemorySize.Divide("4GiB", 4));
        Assert.Equal("1024KiB", MemorySize.Divide("1MB", 8));
    }
}

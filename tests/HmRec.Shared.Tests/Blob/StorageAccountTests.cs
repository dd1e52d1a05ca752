using HmRec.Shared.Blob;

namespace HmRec.Shared.Tests.Blob;

public sealed class StorageAccountTests
{
    [Fact]
    public void Parse_DevelopmentStorage_IsAzuritesAccount()
    {
        var account = StorageAccount.Parse("UseDevelopmentStorage=true");
        Assert.Equal("devstoreaccount1", account.Name);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1/"), account.BlobEndpoint);
        Assert.Equal(64, account.Key.Length);
    }

    [Fact]
    public void Parse_AccountWithSuffixOrEndpoint()
    {
        var key = Convert.ToBase64String(new byte[32]);
        Assert.Equal(new Uri("https://hmrec.blob.core.windows.net/"), StorageAccount.Parse($"DefaultEndpointsProtocol=https;AccountName=hmrec;AccountKey={key};EndpointSuffix=core.windows.net").BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10999/acc/"), StorageAccount.Parse($"AccountName=acc;AccountKey={key};BlobEndpoint=http://127.0.0.1:10999/acc").BlobEndpoint);
    }

    [Theory]
    [InlineData("AccountKey=AAAA", "no AccountName")]
    [InlineData("AccountName=acc", "no AccountKey")]
    [InlineData("AccountName=acc;AccountKey=not*base64", "not base64")]
    [InlineData("AccountName=acc;AccountKey=AAAA;BlobEndpoint=ftp://x", "not an http(s) URL")]
    [InlineData("garbage", "without '='")]
    public void Parse_Bad_NamesThePartWithoutTheKey(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => StorageAccount.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("base64)", error.Message, StringComparison.Ordinal);
    }
}

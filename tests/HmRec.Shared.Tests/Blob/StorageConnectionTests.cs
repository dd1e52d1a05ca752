using Azure.Core;
using Azure.Identity;
using HmRec.Shared.Blob;

namespace HmRec.Shared.Tests.Blob;

/// <summary>Reading the AzureWebJobsStorage connection the way the Functions host does: a connection string, or identity-based settings.</summary>
public sealed class StorageConnectionTests
{
    [Fact]
    public void FromSettings_ConnectionString_WinsOverIdentitySettings()
    {
        var connection = StorageConnection.FromSettings("AzureWebJobsStorage", Settings(("AzureWebJobsStorage", "UseDevelopmentStorage=true"), ("AzureWebJobsStorage__accountName", "hmrecdata")))!;

        Assert.False(connection.IsIdentityBased);
        Assert.Equal("UseDevelopmentStorage=true", connection.ConnectionString);
    }

    [Fact]
    public void FromSettings_AccountNameWithAUserAssignedIdentity_IsTheAccountsBlobEndpointWithAManagedIdentity()
    {
        var connection = StorageConnection.FromSettings("AzureWebJobsStorage", Settings(
            ("AzureWebJobsStorage__accountName", "hmrecdata"), ("AzureWebJobsStorage__credential", "managedidentity"),
            ("AzureWebJobsStorage__clientId", "11111111-2222-3333-4444-555555555555")))!;

        Assert.True(connection.IsIdentityBased);
        Assert.Equal(new Uri("https://hmrecdata.blob.core.windows.net/"), connection.BlobServiceUri);
        Assert.IsType<ManagedIdentityCredential>(connection.Credential);
        Assert.Equal(new Uri("https://hmrecdata.blob.core.windows.net/hmrec"), connection.Container("hmrec").Uri);
        Assert.Contains("identity-based", connection.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSettings_BlobServiceUriWithoutCredential_UsesTheDefaultChain_AndKeepsTheEndpointsPath()
    {
        var connection = StorageConnection.FromSettings("Runs", Settings(("Runs__blobServiceUri", "https://127.0.0.1:10000/devstoreaccount1")))!;

        Assert.IsType<DefaultAzureCredential>(connection.Credential);
        Assert.Equal(new Uri("https://127.0.0.1:10000/devstoreaccount1/hmrec"), connection.Container("hmrec").Uri);
    }

    [Fact]
    public void FromSettings_NothingSet_IsNull() =>
        Assert.Null(StorageConnection.FromSettings("AzureWebJobsStorage", Settings(("AzureWebJobsStorage", " "))));

    [Theory]
    [InlineData("AzureWebJobsStorage__accountName", "HmRec_Data", "AzureWebJobsStorage__accountName must be a storage account name")]
    [InlineData("AzureWebJobsStorage__blobServiceUri", "hmrecdata.blob.core.windows.net", "AzureWebJobsStorage__blobServiceUri must be the account's https blob endpoint")]
    [InlineData("AzureWebJobsStorage__blobServiceUri", "http://127.0.0.1:10000/devstoreaccount1", "AzureWebJobsStorage__blobServiceUri must be the account's https blob endpoint")]
    [InlineData("AzureWebJobsStorage__credential", "key", "AzureWebJobsStorage__credential must be 'managedidentity' or unset (got 'key')")]
    public void FromSettings_BadSetting_FailsNamingIt(string name, string value, string expected)
    {
        var settings = Settings(("AzureWebJobsStorage__accountName", "hmrecdata"), (name, value));

        var e = Assert.Throws<ArgumentException>(() => StorageConnection.FromSettings("AzureWebJobsStorage", settings));

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenContainer_IdentityWithoutAToken_FailsSayingWhichSettingsGaveIt()
    {
        var connection = StorageConnection.FromIdentity(new Uri($"https://127.0.0.1:{AzuriteFixture.FreePort()}/devstoreaccount1"), new NoToken(), "AzureWebJobsStorage__blobServiceUri (identity-based)");

        var e = await Assert.ThrowsAsync<ArgumentException>(() => BlobStorage.OpenContainerAsync(connection, "hmrec"));

        Assert.StartsWith("no token for the storage account at https://127.0.0.1:", e.Message, StringComparison.Ordinal);
        Assert.Contains("from AzureWebJobsStorage__blobServiceUri (identity-based): no managed identity here", e.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Settings(params (string Name, string Value)[] values) =>
        name => values.LastOrDefault(v => v.Name == name).Value;

    private sealed class NoToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new CredentialUnavailableException("no managed identity here");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new CredentialUnavailableException("no managed identity here");
    }
}

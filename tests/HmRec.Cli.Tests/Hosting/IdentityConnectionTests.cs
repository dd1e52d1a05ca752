using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HmRec.Cli.Tests.Commands;

namespace HmRec.Cli.Tests.Hosting;

/// <summary>
/// The identity-based AzureWebJobsStorage connection as the Bicep template configures it (endpoints, credential
/// <c>managedidentity</c>, a user-assigned client id), end to end but for Azure: <c>hmrec</c> gets its token from a local
/// managed-identity endpoint (the App Service protocol: IDENTITY_ENDPOINT and IDENTITY_HEADER) and opens the task hub on
/// an Azurite that accepts only bearer tokens over HTTPS (<c>--oauth basic</c>, a certificate made for the test).
/// </summary>
public sealed class IdentityConnectionTests : IAsyncLifetime
{
    private const string ClientId = "11111111-2222-3333-4444-555555555555";
    private const string IdentityHeader = "identity-header-secret";

    private readonly TempFolder work = new("identity");
    private LoopbackServer? identity;
    private readonly List<string> tokenRequests = [];
    private AzuriteProcess? azurite;
    private int blobPort, queuePort, tablePort;
    private string audience = "https://storage.azure.com";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(work);
        WriteCertificate(Path.Combine(work, "cert.pem"), Path.Combine(work, "key.pem"));
        (blobPort, queuePort, tablePort) = (AzuriteFixture.FreePort(), AzuriteFixture.FreePort(), AzuriteFixture.FreePort());
        azurite = await AzuriteProcess.StartAsync("azurite",
        [
            "--blobHost", "127.0.0.1", "--blobPort", $"{blobPort}", "--queueHost", "127.0.0.1", "--queuePort", $"{queuePort}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{tablePort}", "--location", Path.Combine(work, "azurite"), "--silent",
            "--skipApiVersionCheck", "--loose", "--oauth", "basic", "--cert", Path.Combine(work, "cert.pem"), "--key", Path.Combine(work, "key.pem"),
        ], blobPort, queuePort, tablePort);

        identity = new LoopbackServer(AnswerTokenRequest);
    }

    public Task DisposeAsync()
    {
        identity?.Dispose();
        azurite?.Dispose();
        work.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Status_IdentityBasedConnection_OpensTheTaskHubWithTheManagedIdentitysToken()
    {
        var (code, output, error) = HmRecProcess.Run(work, Environment(), "status");

        Assert.True(code == 0, $"exit code {code}: {error}");
        Assert.Contains("No runs in the task hub HmRecHub.", output, StringComparison.Ordinal);
        lock (tokenRequests)
        {
            Assert.NotEmpty(tokenRequests);
            Assert.All(tokenRequests, r => Assert.Contains($"client_id={ClientId}", r, StringComparison.Ordinal));
            Assert.All(tokenRequests, r => Assert.Contains("resource=https://storage.azure.com", r, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Status_TokenForAnotherAudience_FailsInOneLineNamingTheConnection()
    {
        audience = "https://management.azure.com";

        var (code, _, error) = HmRecProcess.Run(work, Environment(), "status");

        Assert.True(code == 2, $"exit code {code}: {error}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("error: cannot open the task hub HmRecHub: the storage account of AzureWebJobsStorage__blobServiceUri (identity-based) refused the credentials (403 AuthenticationFailed)", line.Trim());
    }

    /// <summary>The settings the template gives the app, pointed at this Azurite and this identity endpoint.</summary>
    private Dictionary<string, string> Environment() => new()
    {
        ["AzureWebJobsStorage__blobServiceUri"] = $"https://127.0.0.1:{blobPort}/devstoreaccount1",
        ["AzureWebJobsStorage__queueServiceUri"] = $"https://127.0.0.1:{queuePort}/devstoreaccount1",
        ["AzureWebJobsStorage__tableServiceUri"] = $"https://127.0.0.1:{tablePort}/devstoreaccount1",
        ["AzureWebJobsStorage__credential"] = "managedidentity",
        ["AzureWebJobsStorage__clientId"] = ClientId,
        ["IDENTITY_ENDPOINT"] = new Uri(identity!.Endpoint, "msi/token").ToString(),
        ["IDENTITY_HEADER"] = IdentityHeader,
        // The test's certificate is the only one trusted by the child process.
        ["SSL_CERT_FILE"] = Path.Combine(work, "cert.pem"),
        ["HMREC_STORE"] = Path.Combine(work, "store"),
    };

    private void AnswerTokenRequest(HttpListenerContext context)
    {
        var request = context.Request;
        if (request.Headers["X-IDENTITY-HEADER"] != IdentityHeader)
        {
            context.Response.StatusCode = 401;
            context.Response.Close();
            return;
        }
        lock (tokenRequests)
        {
            tokenRequests.Add(Uri.UnescapeDataString(request.Url!.Query));
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = new JsonObject
        {
            ["access_token"] = Jwt(new JsonObject
            {
                ["aud"] = audience, ["iss"] = "https://sts.windows.net/00000000-0000-0000-0000-000000000001/",
                ["iat"] = now - 60, ["nbf"] = now - 60, ["exp"] = now + 3600, ["appid"] = ClientId, ["oid"] = ClientId,
            }),
            ["expires_on"] = (now + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["resource"] = request.QueryString["resource"],
            ["token_type"] = "Bearer",
            ["client_id"] = ClientId,
        };
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    /// <summary>A token Azurite's basic OAuth accepts: it reads the claims (audience, issuer, times) and checks no signature.</summary>
    private static string Jwt(JsonObject claims)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Part("""{"alg":"RS256","typ":"JWT"}""")}.{Part(claims.ToJsonString())}.c2lnbmF0dXJl";
    }

    /// <summary>A self-signed certificate for 127.0.0.1, its own trust anchor.</summary>
    private static void WriteCertificate(string certificatePath, string keyPath)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }
}

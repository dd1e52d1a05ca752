using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace HmRec.Functions.Tests.Deployment;

/// <summary>
/// infra/ compiled and linted by the Bicep CLI (from NuGet) with no diagnostic, and the compiled ARM template read back:
/// the resources a deployment needs, identity-based storage settings with no account key anywhere, the identity's role
/// assignments, and the GPU workload profile of the training job.
/// </summary>
public sealed class BicepTemplateTests
{
    private static readonly string Infra = FindInfra();

    private static readonly Lazy<JsonObject> Template = new(() => JsonNode.Parse(Bicep("build", Path.Combine(Infra, "main.bicep"), "--stdout").Output)!.AsObject());

    [Fact]
    public void BuildAndLint_EveryFile_NoDiagnostic()
    {
        var files = Directory.GetFiles(Infra, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.Contains(files, f => f.EndsWith("modules/gpujob.bicep", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var lint = Bicep("lint", file);
            Assert.True(lint.Error.Length == 0, $"bicep lint {Path.GetRelativePath(Infra, file)}: {lint.Error}");
        }
        var build = Bicep("build", Path.Combine(Infra, "main.bicep"), "--stdout");
        Assert.True(build.Error.Length == 0, $"bicep build: {build.Error}");
        var parameters = Bicep("build-params", Path.Combine(Infra, "main.bicepparam"), "--stdout");
        Assert.True(parameters.Error.Length == 0, $"bicep build-params: {parameters.Error}");
        var values = JsonNode.Parse(JsonNode.Parse(parameters.Output)!["parametersJson"]!.GetValue<string>())!["parameters"]!;
        Assert.Equal("Consumption-GPU-NC8as-T4", values["gpuProfileType"]!["value"]!.GetValue<string>());
        Assert.NotNull(values["gpuWorkerImage"]);
    }

    [Fact]
    public void Template_HoldsEveryResourceOfTheDeployment()
    {
        var types = Resources().Select(r => r["type"]!.GetValue<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Superset(new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Microsoft.Storage/storageAccounts",
            "Microsoft.Storage/storageAccounts/blobServices/containers",
            "Microsoft.ManagedIdentity/userAssignedIdentities",
            "Microsoft.OperationalInsights/workspaces",
            "Microsoft.Insights/components",
            "Microsoft.Web/serverfarms",
            "Microsoft.Web/sites",
            "Microsoft.App/managedEnvironments",
            "Microsoft.App/jobs",
            "Microsoft.Authorization/roleAssignments",
        }, types);
        var outputs = Template.Value["outputs"]!.AsObject().Select(o => o.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "functionAppName", "functionAppUrl", "storageAccountName", "gpuJobName", "gpuJobId" }, outputs);
    }

    [Fact]
    public void Storage_KeylessTls12Private()
    {
        var storage = Single("Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.False(storage["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(storage["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", storage["minimumTlsVersion"]!.GetValue<string>());
        Assert.True(storage["supportsHttpsTrafficOnly"]!.GetValue<bool>());
    }

    [Fact]
    public void Template_NoAccountKeyAnywhere()
    {
        var text = Template.Value.ToJsonString();

        foreach (var secret in new[] { "listKeys", "AccountKey", "SharedAccessSignature", "listAccountSas", "primarySharedKey", "InstrumentationKey=" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void FunctionApp_FlexConsumption_IdentityBasedConnections()
    {
        var plan = Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan["sku"]!["tier"]!.GetValue<string>());

        var site = Single("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site["kind"]!.GetValue<string>());
        Assert.Equal("UserAssigned", site["identity"]!["type"]!.GetValue<string>());
        var config = site["properties"]!["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", config["runtime"]!["name"]!.GetValue<string>());
        Assert.Equal("UserAssignedIdentity", config["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());

        var settings = site["properties"]!["siteConfig"]!["appSettings"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["value"]!.ToString());
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Contains("AzureWebJobsStorage__accountName", settings.Keys);
        Assert.Contains("AzureWebJobsStorage__clientId", settings.Keys);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.Contains("Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
        Assert.Equal("containerapps", settings["HMREC_TWO_TOWER_BACKEND"]);
        Assert.Contains("HMREC_GPU_JOB_ID", settings.Keys);
        Assert.Contains("AzureFunctionsJobHost__extensions__durableTask__hubName", settings.Keys);
        // Flex Consumption refuses these: the runtime is functionAppConfig's.
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", settings.Keys);

        Assert.True(Single("Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!.GetValue<bool>());
    }

    [Fact]
    public void Identity_HasTheRolesOnTheResourcesItUses()
    {
        // A role is named in the assignment or through the roles module's variable of role ids.
        var roles = Templates().Select(t => t["variables"]?["roles"]).Single(v => v is not null)!.AsObject();
        var assignments = Resources().Where(r => r["type"]!.GetValue<string>() == "Microsoft.Authorization/roleAssignments")
            .Select(r => roles.Aggregate(r.ToJsonString(Readable), (text, role) => text.Replace($"variables('roles').{role.Key}", role.Value!.GetValue<string>(), StringComparison.Ordinal)))
            .ToList();
        Assert.Equal(4, assignments.Count); // the three storage roles are one loop

        foreach (var (role, scope) in new[]
        {
            ("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Microsoft.Storage/storageAccounts"), // Storage Blob Data Owner
            ("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Microsoft.Storage/storageAccounts"), // Storage Queue Data Contributor
            ("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Microsoft.Storage/storageAccounts"), // Storage Table Data Contributor
            ("3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components"), // Monitoring Metrics Publisher
            ("b9a307c4-5aa3-4b52-ba60-2b17c136cd7b", "Microsoft.App/jobs"), // Container Apps Jobs Operator: jobs/start/action
        })
        {
            Assert.Contains(assignments, a => a.Contains(role, StringComparison.Ordinal) && a.Contains(scope, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void GpuJob_ManualTrigger_OnTheGpuWorkloadProfile_WithTheSharedIdentityAndStorage()
    {
        var gpu = Template.Value["parameters"]!["gpuProfileType"]!;
        Assert.Equal(["Consumption-GPU-NC8as-T4", "Consumption-GPU-NC24-A100"], gpu["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()));

        var environment = Single("Microsoft.App/managedEnvironments")["properties"]!;
        var profiles = environment["workloadProfiles"]!.AsArray();
        Assert.Contains(profiles, p => p!["workloadProfileType"]!.GetValue<string>() == "Consumption");
        var gpuProfile = Assert.Single(profiles, p => p!["workloadProfileType"]!.GetValue<string>().Contains("gpuProfileType", StringComparison.Ordinal));

        var job = Single("Microsoft.App/jobs");
        Assert.Equal("UserAssigned", job["identity"]!["type"]!.GetValue<string>());
        var properties = job["properties"]!;
        Assert.Equal("Manual", properties["configuration"]!["triggerType"]!.GetValue<string>());
        Assert.Equal(0, properties["configuration"]!["replicaRetryLimit"]!.GetValue<int>());
        Assert.Equal(gpuProfile!["name"]!.ToString(), properties["workloadProfileName"]!.ToString());
        var container = properties["template"]!["containers"]![0]!;
        Assert.Equal("hmrec-train-gpu", container["name"]!.GetValue<string>());
        var env = container["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.ToString());
        Assert.Equal("managedidentity", env["AzureWebJobsStorage__credential"]);
        Assert.Contains("AzureWebJobsStorage__blobServiceUri", env.Keys);
        Assert.Contains("AzureWebJobsStorage__clientId", env.Keys);
    }

    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Every resource of the template and of its modules' nested templates.</summary>
    private static List<JsonObject> Resources() => Walk().Resources;

    /// <summary>The template and its modules' nested templates.</summary>
    private static List<JsonObject> Templates() => Walk().Templates;

    private static (List<JsonObject> Resources, List<JsonObject> Templates) Walk()
    {
        var all = new List<JsonObject>();
        var templates = new List<JsonObject>();
        void Walk(JsonNode? template)
        {
            if (template is JsonObject t)
            {
                templates.Add(t);
            }
            var resources = template?["resources"] switch
            {
                JsonArray array => array.Select(r => r!.AsObject()),
                JsonObject symbolic => symbolic.Select(p => p.Value!.AsObject()),
                _ => [],
            };
            foreach (var resource in resources)
            {
                all.Add(resource);
                Walk(resource["properties"]?["template"]);
            }
        }
        Walk(Template.Value);
        return (all, templates);
    }

    private static JsonObject Single(string type) =>
        Assert.Single(Resources(), r => r["type"]!.GetValue<string>() == type && r["existing"] is null);

    private static (string Output, string Error) Bicep(params string[] arguments)
    {
        var path = typeof(BicepTemplateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
        Assert.True(File.Exists(path), $"The Bicep CLI is not at {path}: restore the solution (make setup).");
        // The package's binary is linux-x64 (this project's setup is Debian); NuGet does not always keep its execute bit.
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        // No telemetry, no update check: the suite runs offline.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), $"bicep {string.Join(' ', arguments)} did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"bicep {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}");
        return (output.Result, error.Result.Trim());
    }

    private static string FindInfra()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var infra = Path.Combine(directory.FullName, "infra");
            if (File.Exists(Path.Combine(infra, "main.bicep")))
            {
                return infra;
            }
        }
        throw new DirectoryNotFoundException($"No infra/main.bicep above {AppContext.BaseDirectory}.");
    }
}

using EventType = DurableTask.Core.History.EventType;

namespace HmRec.Cli.Host;

/// <summary>
/// The Durable HTTP management API under <c>/runtime/webhooks/durabletask</c> (system key): instance status
/// (202 with <c>Location</c> while it runs, 200 when it has ended, 404 unknown; <c>showHistory</c>,
/// <c>showInput</c>), listing with filters and a continuation token (header <c>x-ms-continuation-token</c>),
/// raising events, terminate, suspend, resume, and purge by id or by filter.
/// </summary>
internal static class ManagementApi
{
    public const string Prefix = "/runtime/webhooks/durabletask";
    public const string ContinuationHeader = "x-ms-continuation-token";

    /// <summary>The management links of instance <paramref name="id"/> under <paramref name="baseAddress"/> (never a request's Host header).</summary>
    public static ManagementUris Uris(Uri baseAddress, FunctionKeys keys, string id)
    {
        var instance = $"{baseAddress.GetLeftPart(UriPartial.Authority)}{Prefix}/instances/{Uri.EscapeDataString(id)}";
        var code = "code=" + Uri.EscapeDataString(keys.SystemKey);
        return new ManagementUris(id, $"{instance}?{code}", $"{instance}/raiseEvent/{{eventName}}?{code}", $"{instance}/terminate?reason={{text}}&{code}",
            $"{instance}?{code}", $"{instance}/suspend?reason={{text}}&{code}", $"{instance}/resume?reason={{text}}&{code}");
    }

    public static void Map(WebApplication app, HttpHost host)
    {
        var client = host.Client;
        var group = app.MapGroup(Prefix + "/instances");

        group.MapGet("/{id}", async (HttpRequest request, string id) =>
        {
            var showHistory = Flag(request, "showHistory", false);
            var showInput = Flag(request, "showInput", true);
            if (showHistory is null || showInput is null)
            {
                return Results.BadRequest(new ApiError("showHistory and showInput must be true or false."));
            }
            var state = await client.GetInstanceAsync(id, getInputsAndOutputs: true);
            if (state is null)
            {
                return Results.NotFound(new ApiError($"No instance has the id '{id}'."));
            }
            var body = Status(state, showInput.Value, showHistory.Value ? await client.GetHistoryAsync(id) : null);
            if (state.IsCompleted)
            {
                return Results.Json(body);
            }
            request.HttpContext.Response.Headers.Location = $"{host.PublicBase.GetLeftPart(UriPartial.Authority)}{request.Path}{request.QueryString}";
            request.HttpContext.Response.Headers.RetryAfter = "10";
            return Results.Json(body, statusCode: StatusCodes.Status202Accepted);
        });

        group.MapGet("/", async (HttpRequest request) =>
        {
            if (Query(request) is not { } query)
            {
                return Results.BadRequest(new ApiError(QueryError(request)));
            }
            if (query.ContinuationToken is { } sealedToken)
            {
                if (Unseal(sealedToken, host.Keys) is not { } token)
                {
                    return Results.BadRequest(new ApiError($"{ContinuationHeader}: not a token this host issued; send the one from the previous page's answer, or none for the first page."));
                }
                query = query with { ContinuationToken = token };
            }
            var showInput = Flag(request, "showInput", false) ?? false;
            var statuses = new List<JsonObject>();
            // The store returns custom statuses only with the inputs and outputs; those are left out of the answer unless asked for.
            await foreach (var page in client.GetAllInstancesAsync(query with { FetchInputsAndOutputs = true }).AsPages(query.ContinuationToken, query.PageSize))
            {
                if (page.ContinuationToken is { } token)
                {
                    request.HttpContext.Response.Headers[ContinuationHeader] = Seal(token, host.Keys);
                }
                statuses.AddRange(page.Values.Select(i => Status(i, showInput, null, showOutput: showInput)));
                break; // one page per request; the client follows the continuation token
            }
            return Results.Json(statuses);
        });

        group.MapPost("/{id}/raiseEvent/{name}", async (HttpRequest request, string id, string name) =>
        {
            if (await Running(client, id) is { } refused)
            {
                return refused;
            }
            object? payload = null;
            using (var reader = new StreamReader(request.Body))
            {
                var text = await reader.ReadToEndAsync();
                if (!string.IsNullOrWhiteSpace(text))
                {
                    try
                    {
                        payload = JsonNode.Parse(text);
                    }
                    catch (JsonException e)
                    {
                        return Results.BadRequest(new ApiError($"The event body is not valid JSON: {e.Message}"));
                    }
                }
            }
            await client.RaiseEventAsync(id, name, payload);
            return Results.Accepted();
        });

        foreach (var (verb, act) in new (string, Func<string, string?, Task>)[]
        {
            ("terminate", (id, reason) => client.TerminateInstanceAsync(id, reason)),
            ("suspend", (id, reason) => client.SuspendInstanceAsync(id, reason)),
            ("resume", (id, reason) => client.ResumeInstanceAsync(id, reason)),
        })
        {
            group.MapPost("/{id}/" + verb, async (HttpRequest request, string id) =>
            {
                if (await Running(client, id) is { } refused)
                {
                    return refused;
                }
                await act(id, request.Query["reason"].FirstOrDefault());
                return Results.Accepted();
            });
        }

        group.MapDelete("/{id}", async (HttpRequest request, string id) =>
        {
            if (Flag(request, DeleteRunFolder, false) is not { } deleteFolder)
            {
                return Results.BadRequest(new ApiError($"{DeleteRunFolder} must be true or false."));
            }
            var state = await client.GetInstanceAsync(id);
            if (state is null)
            {
                return Results.NotFound(new ApiError($"No instance has the id '{id}'."));
            }
            if (!Purgeable.Contains(state.RuntimeStatus))
            {
                return Results.Json(new ApiError($"Instance '{id}' is {state.RuntimeStatus}; only a completed, failed or terminated instance can be purged (terminate it first)."),
                    statusCode: StatusCodes.Status409Conflict);
            }
            var deleted = (await client.PurgeInstanceAsync(id)).PurgedInstanceCount;
            return Results.Ok(new { instancesDeleted = deleted, runFoldersDeleted = deleteFolder ? await DeleteRunAsync(host, id, request.HttpContext.RequestAborted) : 0 });
        });

        group.MapDelete("/", async (HttpRequest request) =>
        {
            if (Query(request) is not { } query)
            {
                return Results.BadRequest(new ApiError(QueryError(request)));
            }
            if (Flag(request, DeleteRunFolder, false) is not { } deleteFolders)
            {
                return Results.BadRequest(new ApiError($"{DeleteRunFolder} must be true or false."));
            }
            if (query.Statuses?.Where(s => !Purgeable.Contains(s)).ToList() is { Count: > 0 } live)
            {
                return Results.BadRequest(new ApiError($"runtimeStatus: {string.Join(", ", live)} instances cannot be purged; only Completed, Failed and Terminated ones can."));
            }
            // The matching instances are listed and each is purged by id once its status is checked again: the backend's own
            // purge by filter is not trusted to keep to the statuses (a purge of Running ones also removed Completed ones).
            var deleted = 0;
            var folders = 0;
            var matching = client.GetAllInstancesAsync(query with { Statuses = query.Statuses ?? Purgeable, PageSize = 100, ContinuationToken = null });
            var ids = new List<string>();
            await foreach (var instance in matching)
            {
                ids.Add(instance.InstanceId);
            }
            foreach (var id in ids)
            {
                if (await client.GetInstanceAsync(id) is { } state && Purgeable.Contains(state.RuntimeStatus))
                {
                    deleted += (await client.PurgeInstanceAsync(id)).PurgedInstanceCount;
                    folders += deleteFolders ? await DeleteRunAsync(host, id, request.HttpContext.RequestAborted) : 0;
                }
            }
            return deleted == 0 ? Results.NotFound(new ApiError("No instance matches the filter.")) : Results.Ok(new { instancesDeleted = deleted, runFoldersDeleted = folders });
        });
    }

    /// <summary>The purge option that also deletes the run's folder (its artefacts, locally and in blob storage).</summary>
    public const string DeleteRunFolder = "deleteRunFolder";

    /// <summary>
    /// Deletes the folder of run <paramref name="id"/> (and its blobs when runs live in blob storage); 1 when there was one,
    /// else 0. Only a name that is a run id is used as a folder name.
    /// </summary>
    private static async Task<int> DeleteRunAsync(HttpHost host, string id, CancellationToken cancellationToken)
    {
        if (!PipelineStarter.IsRunId(id))
        {
            return 0;
        }
        var folder = Path.Combine(host.RunsRoot, "runs", id);
        var found = Directory.Exists(folder);
        if (found)
        {
            Directory.Delete(folder, recursive: true);
        }
        if (host.Storage is { } storage)
        {
            await foreach (var blob in storage.Mirror.Client.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"runs/{id}/", cancellationToken))
            {
                await storage.Mirror.Client.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
                found = true;
            }
        }
        return found ? 1 : 0;
    }

    /// <summary>
    /// A continuation token as the client sees it: the backend's token and a signature made with the system key, so that a
    /// token this host did not issue is refused (400) rather than silently answered with an empty page.
    /// </summary>
    private static string Seal(string token, FunctionKeys keys) =>
        Base64Url(System.Text.Encoding.UTF8.GetBytes(token)) + "." + Base64Url(Signature(token, keys));

    /// <summary>The backend's token inside <paramref name="value"/>, or null when this host did not issue it.</summary>
    private static string? Unseal(string value, FunctionKeys keys)
    {
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot < 1)
        {
            return null;
        }
        try
        {
            var token = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(value.AsSpan(0, dot)));
            var given = System.Buffers.Text.Base64Url.DecodeFromChars(value.AsSpan(dot + 1));
            return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(given, Signature(token, keys)) ? token : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] Signature(string token, FunctionKeys keys) =>
        System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(keys.SystemKey), System.Text.Encoding.UTF8.GetBytes("continuation:" + token));

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    /// <summary>The statuses an instance may be purged in, as Durable Functions documents: it has ended.</summary>
    private static readonly OrchestrationRuntimeStatus[] Purgeable =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    /// <summary>404 for an unknown instance, 410 for one that has ended; null when it can take the request.</summary>
    private static async Task<IResult?> Running(TaskHubDurableClient client, string id)
    {
        var state = await client.GetInstanceAsync(id);
        return state is null ? Results.NotFound(new ApiError($"No instance has the id '{id}'."))
            : state.IsCompleted ? Results.Json(new ApiError($"Instance '{id}' has ended ({state.RuntimeStatus})."), statusCode: StatusCodes.Status410Gone)
            : null;
    }

    private static JsonObject Status(OrchestrationMetadata state, bool showInput, JsonArray? history, bool showOutput = true)
    {
        var body = new JsonObject
        {
            ["name"] = state.Name,
            ["instanceId"] = state.InstanceId,
            ["runtimeStatus"] = state.RuntimeStatus.ToString(),
            ["input"] = showInput ? Parse(state.SerializedInput) : null,
            ["customStatus"] = Parse(state.SerializedCustomStatus),
            ["output"] = state.RuntimeStatus == OrchestrationRuntimeStatus.Failed && state.FailureDetails.Root() is { } f
                ? JsonValue.Create($"{f.ErrorType}: {f.ErrorMessage}")
                : showOutput ? Parse(state.SerializedOutput) : null,
            ["createdTime"] = state.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["lastUpdatedTime"] = state.LastUpdatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        if (history is not null)
        {
            // DTFx records each event's type as a number; the API shows its name, as Durable Functions does.
            foreach (var e in history.OfType<JsonObject>())
            {
                if (e["EventType"] is JsonValue v && v.TryGetValue<int>(out var type))
                {
                    e["EventType"] = ((EventType)type).ToString();
                }
            }
            body["historyEvents"] = history;
        }
        return body;
    }


    /// <summary>A stored value as JSON; DTFx stores some as plain text (a suspended instance's reason), which becomes a JSON string.</summary>
    private static JsonNode? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }

    private static bool? Flag(HttpRequest request, string name, bool fallback) =>
        request.Query[name].FirstOrDefault() is not { } text ? fallback : bool.TryParse(text, out var value) ? value : null;

    /// <summary>The filter of a list or purge request, or null when a parameter is malformed (see <see cref="QueryError"/>).</summary>
    private static OrchestrationQuery? Query(HttpRequest request) => QueryError(request).Length > 0 ? null : new OrchestrationQuery
    {
        CreatedFrom = Time(request, "createdTimeFrom"),
        CreatedTo = Time(request, "createdTimeTo"),
        Statuses = request.Query["runtimeStatus"].FirstOrDefault() is { } s
            ? [.. s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => Enum.Parse<OrchestrationRuntimeStatus>(x, ignoreCase: true))]
            : null,
        InstanceIdPrefix = request.Query["instanceIdPrefix"].FirstOrDefault(),
        PageSize = request.Query["top"].FirstOrDefault() is { } top ? int.Parse(top, CultureInfo.InvariantCulture) : 100,
        ContinuationToken = request.Headers[ContinuationHeader].FirstOrDefault(),
    };

    private static string QueryError(HttpRequest request)
    {
        foreach (var name in new[] { "createdTimeFrom", "createdTimeTo" })
        {
            if (request.Query[name].FirstOrDefault() is { } t && !DateTime.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _))
            {
                return $"{name} must be an ISO 8601 time such as 2026-11-22T00:00:00Z (got '{t}').";
            }
        }
        if (request.Query["runtimeStatus"].FirstOrDefault() is { } s
            && s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(x => !Enum.TryParse<OrchestrationRuntimeStatus>(x, true, out _) || int.TryParse(x, out _)) is { } bad)
        {
            return $"runtimeStatus: '{bad}' is not one of {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.";
        }
        if (request.Query["top"].FirstOrDefault() is { } top && (!int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 1000))
        {
            return $"top must be a whole number from 1 to 1000 (got '{top}').";
        }
        return "";
    }

    private static DateTimeOffset? Time(HttpRequest request, string name) =>
        request.Query[name].FirstOrDefault() is { } t ? new DateTimeOffset(DateTime.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero) : null;
}

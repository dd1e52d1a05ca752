using System.Text.Json;

namespace HmRec.Shared.Options;

/// <summary>
/// The JSON body that starts a run over HTTP (the standalone host's and the Functions app's starter): option
/// overrides with the names of <see cref="PipelineOptions"/> (any case, nested as there) and <c>data</c>, where the
/// input is. An empty body is all defaults.
/// </summary>
public static class PipelineStartBody
{
    private static readonly JsonSerializerOptions Strict = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The options (validated) and the data location; a malformed body throws a <see cref="JsonException"/> or <see cref="ArgumentException"/> naming the field.</summary>
    public static (PipelineOptions Options, string? Data) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (new PipelineOptions(), null);
        }
        using var document = JsonDocument.Parse(text);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The body must be a JSON object of option overrides.");
        }
        string? data = null;
        var rest = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (string.Equals(property.Name, "data", StringComparison.OrdinalIgnoreCase))
            {
                data = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()
                    : throw new JsonException("'data' must be a string: the folder holding articles.csv, customers.csv and transactions_train.csv.");
            }
            else
            {
                rest[property.Name] = property.Value;
            }
        }
        var options = JsonSerializer.Deserialize<PipelineOptions>(JsonSerializer.Serialize(rest), Strict) ?? new PipelineOptions();
        options.Validate();
        return (options, data);
    }
}

using System.Text.Json;

namespace HmRec.Activities.Options;

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
        try
        {
            return ParseBody(text);
        }
        catch (JsonException e)
        {
            throw new JsonException(Describe(e), e);
        }
    }

    /// <summary>
    /// A JSON error in the options' own terms: the option's path, what was expected, at most 200 characters of what was
    /// given, no .NET type names.
    /// </summary>
    private static string Describe(JsonException e)
    {
        var path = e.Path is { Length: > 1 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : "";
        var unmapped = System.Text.RegularExpressions.Regex.Match(e.Message, "The JSON property '(.*)' could not be mapped");
        if (unmapped.Success)
        {
            return $"'{Clip(unmapped.Groups[1].Value)}' could not be mapped to an option{(path.Length > 0 ? $" of {path}" : "")}; see the options in PipelineOptions (Ingest, Recall, Features, Training, TwoTower, Promotion, Seed, Shards, UsersPerShard).";
        }
        if (e.Message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            bool Names(string type) => e.Message.Contains(type, StringComparison.Ordinal);
            var expected = Names("Int32") || Names("Int64") ? "a whole number"
                : Names("Double") ? "a number"
                : Names("Boolean") ? "true or false"
                : Names("System.String") ? "a string"
                : "an object of options";
            return $"{(path.Length > 0 ? path : "The body")}: expected {expected}.";
        }
        return e.LineNumber is { } line && e.BytePositionInLine is { } column
            ? $"The body is not valid JSON (line {line + 1}, character {column + 1})."
            : Clip(e.Message);
    }

    /// <summary>Fails on a value given for an option that is derived from others (such as Recall.Category.Column), which the serializer would skip.</summary>
    private static void RefuseReadOnly(Type type, string name, JsonElement value, string path)
    {
        var property = type.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
        if (property is null)
        {
            return; // unknown names are refused by the serializer, which names them
        }
        if (!property.CanWrite)
        {
            throw new JsonException($"{path}{property.Name} cannot be set: it follows from the other options.");
        }
        if (value.ValueKind == JsonValueKind.Object && property.PropertyType.IsClass && property.PropertyType.Assembly == type.Assembly)
        {
            foreach (var inner in value.EnumerateObject())
            {
                RefuseReadOnly(property.PropertyType, inner.Name, inner.Value, path + property.Name + ".");
            }
        }
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "...";

    private static (PipelineOptions Options, string? Data) ParseBody(string? text)
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
                data = property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { } folder
                       && folder.Trim().Length > 0 && !folder.Any(char.IsControl) && folder.Length <= 4096
                    ? folder
                    : throw new JsonException("'data' must be a string naming a folder (printable, not empty): the folder holding articles.csv, customers.csv and transactions_train.csv.");
            }
            else
            {
                rest[property.Name] = property.Value;
            }
        }
        foreach (var (name, value) in rest)
        {
            RefuseReadOnly(typeof(PipelineOptions), name, value, "");
        }
        var options = JsonSerializer.Deserialize<PipelineOptions>(JsonSerializer.Serialize(rest), Strict) ?? new PipelineOptions();
        options.Validate();
        return (options, data);
    }
}

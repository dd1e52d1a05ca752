using System.Text.Json;
using System.Text.Json.Serialization;
using HmRec.Durable.History;

namespace HmRec.Durable.Serialization;

/// <summary>How payloads and history events are written: System.Text.Json, camelCase, enums as strings.</summary>
public static class DurableJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>A payload as JSON; null stays null.</summary>
    public static string? Serialize(object? value) => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    /// <summary>A payload read back as <paramref name="type"/>; null or empty JSON gives the type's default.</summary>
    public static object? Deserialize(string? json, Type type)
    {
        if (string.IsNullOrEmpty(json))
        {
            return type.IsValueType ? Activator.CreateInstance(type) : null;
        }
        return JsonSerializer.Deserialize(json, type, Options);
    }

    public static T? Deserialize<T>(string? json) => (T?)Deserialize(json, typeof(T));

    internal static string SerializeEvent(HistoryEvent e) => JsonSerializer.Serialize(e, Options);

    internal static HistoryEvent DeserializeEvent(string json) => JsonSerializer.Deserialize<HistoryEvent>(json, Options)!;
}

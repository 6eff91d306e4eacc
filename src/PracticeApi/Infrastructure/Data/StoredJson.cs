using System.Text.Json;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// Documents kept in a text column (field definitions, answers, contract lines): one fixed JSON shape, closed sets by
/// their names as the API writes them (<see cref="ClosedSets"/>).
/// </summary>
public static class StoredJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { ClosedSets.Converter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;
}

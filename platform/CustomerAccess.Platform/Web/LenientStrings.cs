using System.Text.Json;
using System.Text.Json.Serialization;

namespace CustomerAccess.Platform.Web;

/// <summary>
/// Request bodies may send an identifier as a JSON number or a string (a UPRN is 100120000001 in one
/// client and "100120000001" in another); both bind to a string field. Numbers already bind from
/// strings (the web defaults). Responses are written as they always were.
/// </summary>
public sealed class LenientStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw new JsonException("Expected a string."),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

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
    /// <summary>The message of the JsonException for a string carrying U+0000, which PostgreSQL text cannot store.</summary>
    public const string NulMessage = "A text field contains the NUL character (U+0000).";

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => WithoutNul(reader.GetString()),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw new JsonException("Expected a string."),
    };

    private static string? WithoutNul(string? s) => s is not null && s.Contains('\0', StringComparison.Ordinal) ? throw new JsonException(NulMessage) : s;

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

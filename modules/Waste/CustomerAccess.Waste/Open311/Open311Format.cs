using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace CustomerAccess.Waste.Open311;

/// <summary>An Open311 object: named fields in order (the spec's field order), rendered as JSON or XML alike.</summary>
internal sealed class O311Object : List<KeyValuePair<string, object?>>
{
    public O311Object Field(string name, object? value)
    {
        Add(new KeyValuePair<string, object?>(name, value));
        return this;
    }
}

/// <summary>A list: a JSON array, or in XML an element holding one <see cref="ItemName"/> element per item.</summary>
internal sealed record O311List(string ItemName, IReadOnlyList<object?> Items);

/// <summary>
/// GeoReport v2 responses in its two formats. JSON: the spec's field names, lists as arrays, times as
/// ISO 8601 with offset. XML: a root element per response (&lt;services&gt;, &lt;service_definition&gt;,
/// &lt;service_requests&gt;, &lt;errors&gt;...), one element per field, lists as a wrapper of items.
/// </summary>
internal static class O311Format
{
    public const string Json = "json";
    public const string Xml = "xml";

    public static bool IsKnown(string? format) => format is Json or Xml;

    /// <summary>The format from the route, defaulting to JSON when it is not one we answer in (so errors are still readable).</summary>
    public static string Of(HttpContext http) =>
        http.Request.RouteValues.TryGetValue("format", out var f) && f is string s && IsKnown(s.ToLowerInvariant()) ? s.ToLowerInvariant() : Json;

    public static IResult Result(string format, string root, object body, int status = StatusCodes.Status200OK) =>
        format == Xml
            ? Results.Text(ToXml(root, body), "text/xml; charset=utf-8", Encoding.UTF8, status)
            : Results.Text(ToJson(body), "application/json; charset=utf-8", Encoding.UTF8, status);

    /// <summary>The spec's error array: [{ code, description }] / &lt;errors&gt;&lt;error&gt;...</summary>
    public static IResult Errors(string format, int status, IEnumerable<string> descriptions) =>
        Result(format, "errors", new O311List("error",
            descriptions.Select(d => (object?)new O311Object().Field("code", status).Field("description", d)).ToList()), status);

    public static IResult Error(string format, int status, string description) => Errors(format, status, [description]);

    public static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    internal static string ToJson(object body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
            WriteJson(w, body);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteJson(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteNumberValue(d); break;
            case DateTimeOffset t: w.WriteStringValue(Time(t)); break;
            case O311Object o:
                w.WriteStartObject();
                foreach (var (name, v) in o)
                {
                    w.WritePropertyName(name);
                    WriteJson(w, v);
                }
                w.WriteEndObject();
                break;
            case O311List list:
                w.WriteStartArray();
                foreach (var item in list.Items) WriteJson(w, item);
                w.WriteEndArray();
                break;
            default: throw new InvalidOperationException("An Open311 value of an unexpected type: " + value.GetType().Name);
        }
    }

    internal static string ToXml(string root, object body)
    {
        var text = new StringBuilder();
        using (var w = XmlWriter.Create(new StringWriter(text, CultureInfo.InvariantCulture),
                   new XmlWriterSettings { Encoding = Encoding.UTF8, Indent = false, OmitXmlDeclaration = false }))
        {
            w.WriteStartDocument();
            WriteXml(w, root, body);
            w.WriteEndDocument();
        }
        // StringWriter is UTF-16; the document goes out as UTF-8.
        return text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }

    private static void WriteXml(XmlWriter w, string name, object? value)
    {
        w.WriteStartElement(name);
        switch (value)
        {
            case null: break;
            case string s: w.WriteString(s); break;
            case bool b: w.WriteString(b ? "true" : "false"); break;
            case int i: w.WriteString(i.ToString(CultureInfo.InvariantCulture)); break;
            case long l: w.WriteString(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d: w.WriteString(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset t: w.WriteString(Time(t)); break;
            case O311Object o:
                foreach (var (field, v) in o) WriteXml(w, field, v);
                break;
            case O311List list:
                foreach (var item in list.Items) WriteXml(w, list.ItemName, item);
                break;
            default: throw new InvalidOperationException("An Open311 value of an unexpected type: " + value.GetType().Name);
        }
        w.WriteEndElement();
    }
}

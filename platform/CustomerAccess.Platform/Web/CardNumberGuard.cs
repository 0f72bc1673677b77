using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Platform.Web;

/// <summary>
/// Card numbers never touch our storage or logs: a request carrying one anywhere (query, JSON,
/// form or text body) is refused with 400 before any handler, binder or logger sees it. Card
/// payments go through the payment provider's own pages instead. The problem response names the
/// field, never the number.
/// </summary>
public sealed partial class CardNumberGuard(RequestDelegate next, IProblemDetailsService problems)
{
    private const int MaxScannedBytes = 1 << 20;

    public async Task InvokeAsync(HttpContext context)
    {
        var field = FindInQuery(context.Request.Query) ?? await FindInBodyAsync(context.Request).ConfigureAwait(false);
        if (field is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field] = ["This looks like a payment card number. Card details must never be typed into CustomerAccess: take card payments through the payment provider."],
        })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Card number refused",
            Detail = "The request contained a payment card number and was not processed.",
        };
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false);
    }

    /// <summary>
    /// True when the text holds a 13–19 digit run (spaces or dashes allowed) that passes Luhn.
    /// Identifiers shaped like UUIDs (8-4-4-4-12 or 32 hex digits) are not card numbers: about one
    /// random UUID in 460 holds a Luhn-valid 13–19 digit run, and refusing those would refuse that
    /// share of customer ids, payment ids and idempotency keys.
    /// </summary>
    public static bool ContainsCardNumber(string text)
    {
        if (text.Length < 13) return false;
        if (text.Length >= 32) text = Uuid().Replace(text, " ");
        foreach (Match m in Candidate().Matches(text))
        {
            var digits = new StringBuilder(19);
            foreach (var c in m.Value) if (char.IsAsciiDigit(c)) digits.Append(c);
            if (digits.Length is >= 13 and <= 19 && Luhn(digits.ToString())) return true;
        }
        return false;
    }

    public static bool Luhn(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt && (d *= 2) > 9) d -= 9;
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    private static string? FindInQuery(IQueryCollection query)
    {
        foreach (var (key, values) in query)
            foreach (var value in values)
                if (value is not null && ContainsCardNumber(value)) return key;
        return null;
    }

    private static async Task<string?> FindInBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is 0 || !(HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method)))
            return null;
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        // LLPG extracts (text/csv) are machine-made columns of numbers, not a place anyone types a card;
        // scanning them would risk refusing a whole gazetteer over one coordinate pair.
        if (mediaType == "text/csv" || mediaType.StartsWith("multipart/", StringComparison.Ordinal)) return null;
        request.EnableBuffering();
        string text;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true))
        {
            var buffer = new char[MaxScannedBytes];
            var read = await reader.ReadBlockAsync(buffer.AsMemory(), request.HttpContext.RequestAborted).ConfigureAwait(false);
            text = new string(buffer, 0, read);
        }
        request.Body.Position = 0;
        if (!ContainsCardNumber(text)) return null;
        if (mediaType.EndsWith("json", StringComparison.Ordinal)) return JsonField(text) ?? "body";
        if (mediaType == "application/x-www-form-urlencoded")
            foreach (var pair in text.Split('&'))
            {
                var kv = pair.Split('=', 2);
                if (kv.Length == 2 && ContainsCardNumber(Uri.UnescapeDataString(kv[1].Replace('+', ' ')))) return Uri.UnescapeDataString(kv[0]);
            }
        return "body";
    }

    /// <summary>The JSON path of the first value holding a card number, e.g. "reference" or "items[2]".</summary>
    private static string? JsonField(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Walk(doc.RootElement, "");
        }
        catch (JsonException)
        {
            return null;
        }

        static string? Walk(JsonElement e, string path)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                        if (Walk(p.Value, path.Length == 0 ? p.Name : path + "." + p.Name) is { } found) return found;
                    return null;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in e.EnumerateArray())
                        if (Walk(item, $"{path}[{i++}]") is { } found) return found;
                    return null;
                case JsonValueKind.String:
                    return ContainsCardNumber(e.GetString()!) ? (path.Length == 0 ? "body" : path) : null;
                case JsonValueKind.Number:
                    return ContainsCardNumber(e.GetRawText()) ? (path.Length == 0 ? "body" : path) : null;
                default:
                    return null;
            }
        }
    }

    // A run of 13–19 digits with single spaces or dashes between them, not part of a longer run.
    [GeneratedRegex(@"(?<!\d[ \-]?)(?:\d[ \-]?){12,18}\d(?![ \-]?\d)")]
    private static partial Regex Candidate();

    // A whole UUID-shaped token: not glued to other letters or digits.
    [GeneratedRegex(@"(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[0-9A-Fa-f]{32})(?![0-9A-Za-z])")]
    private static partial Regex Uuid();
}

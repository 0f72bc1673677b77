using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace CustomerAccess.Platform.Web;

/// <summary>
/// Card numbers never touch our storage or logs: a request carrying one anywhere (path, query,
/// headers, JSON, form or text body) is refused with 400 before any handler, binder or logger sees
/// it. Card payments go through the payment provider's own pages instead. The problem response
/// names the field, never the number. The body is scanned as the handler will read it (JSON
/// unescaped, forms decoded, in the declared charset), so an escape cannot smuggle a number past.
/// </summary>
public sealed partial class CardNumberGuard(RequestDelegate next, IProblemDetailsService problems)
{
    /// <summary>
    /// The most body the guard reads. A larger body (other than an endpoint's declared
    /// <see cref="MachineMadeCsv"/>) is refused with 413 rather than let through half-scanned:
    /// nothing the API or the screens take (a payment, a case, a form) comes near it.
    /// </summary>
    public const int MaxScannedBytes = 1 << 20;

    public async Task InvokeAsync(HttpContext context)
    {
        if (BrowserPages.IsStatusPage(context))
        {
            await next(context).ConfigureAwait(false); // the refused request's error page: already checked
            return;
        }
        var request = context.Request;
        var field = FindInPath(request) ?? FindInQuery(request.Query) ?? FindInHeaders(request.Headers);
        if (field is null)
        {
            var (tooLarge, inBody) = await FindInBodyAsync(context).ConfigureAwait(false);
            if (tooLarge)
            {
                await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, new ProblemDetails
                {
                    Title = "Payload too large",
                    Detail = $"A request body is at most {MaxScannedBytes / 1024} KB.",
                }).ConfigureAwait(false);
                return;
            }
            field = inBody;
        }
        if (field is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        // A field's name can itself be (or, joined into a path, spell) the number: never echo it.
        if (ContainsCardNumber(field)) field = "request";
        await RefuseAsync(context, StatusCodes.Status400BadRequest, new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field] = ["This looks like a payment card number. Card details must never be typed into CustomerAccess: take card payments through the payment provider."],
        })
        {
            Title = "Card number refused",
            Detail = "The request contained a payment card number and was not processed.",
        }).ConfigureAwait(false);
    }

    private async Task RefuseAsync(HttpContext context, int status, ProblemDetails problem)
    {
        problem.Status = status;
        if (BrowserPages.IsPage(context))
        {
            BrowserPages.Refuse(context, status, status == StatusCodes.Status400BadRequest
                ? "The form contained what looks like a payment card number, so nothing was saved. Never type card details into CustomerAccess: take card payments through the payment provider."
                : problem.Detail ?? problem.Title ?? "The request was refused.");
            return;
        }
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false);
    }

    /// <summary>
    /// True when the text holds a 13–19 digit run that passes Luhn: digits alone or with single
    /// spaces or dashes between them, or groups of 3–6 digits joined by spaces, dashes, dots or
    /// slashes ("4111.1111.1111.1111", "4111/1111/1111/1111"). Dots and slashes count only between
    /// such groups: a decimal coordinate ("51.89941234567891", as a phone's GPS sends it) or a
    /// version number is not a card.
    /// Identifiers shaped like UUIDs (8-4-4-4-12 or 32 hex digits) are not card numbers: about one
    /// random UUID in 460 holds a Luhn-valid 13–19 digit run, and refusing those would refuse that
    /// share of customer ids, payment ids and idempotency keys. Digits of other scripts (fullwidth
    /// "４１１１…") count as the digits they are.
    /// </summary>
    public static bool ContainsCardNumber(string text) => ContainsCardNumber(text, inIdTokens: true);

    /// <param name="inIdTokens">
    /// False for machine-made header values: there a digit run glued to letters is part of a hex id
    /// (a load balancer's trace id such as X-Amzn-Trace-Id or CF-Ray), not a number anyone typed.
    /// </param>
    private static bool ContainsCardNumber(string text, bool inIdTokens)
    {
        if (text.Length < 13) return false;
        if (text.Length >= 32) text = Uuid().Replace(text, " ");
        return Holds(Candidate().Matches(text)) || Holds(Grouped().Matches(text));

        bool Holds(MatchCollection matches)
        {
            foreach (Match m in matches)
            {
                if (!inIdTokens && (GluedToLetter(m.Index - 1) || GluedToLetter(m.Index + m.Length))) continue;
                var digits = new StringBuilder(19);
                foreach (var c in m.Value)
                    if (CharUnicodeInfo.GetDecimalDigitValue(c) is var d and >= 0) digits.Append((char)('0' + d));
                if (digits.Length is >= 13 and <= 19 && Luhn(digits.ToString())) return true;
            }
            return false;
        }

        bool GluedToLetter(int i) => i >= 0 && i < text.Length && char.IsLetter(text[i]);
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

    private static string? FindInPath(HttpRequest request)
    {
        // Kestrel leaves %2F encoded in Path; a route value or a handler may decode it.
        var path = request.PathBase.Add(request.Path).Value ?? "";
        return ContainsCardNumber(path) || (path.Contains('%') && ContainsCardNumber(Uri.UnescapeDataString(path))) ? "path" : null;
    }

    private static string? FindInQuery(IQueryCollection query)
    {
        foreach (var (key, values) in query)
        {
            if (ContainsCardNumber(key)) return "query";
            foreach (var value in values)
                if (value is not null && ContainsCardNumber(value)) return key;
        }
        return null;
    }

    private static string? FindInHeaders(IHeaderDictionary headers)
    {
        foreach (var (name, values) in headers)
        {
            // Cookie is the browser's own state, never typed here, and other sites' analytics cookies
            // on a shared domain carry 13-digit millisecond timestamps (_fbp=fb.1.1700000000000.…)
            // that would refuse one such browser in ten on every request. Our own cookies are opaque
            // and nothing reads or logs a cookie's value.
            if (name.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase)) continue;
            // A well-formed traceparent is two random hex ids made by the caller's tracer; an
            // all-digit 16-character parent id would refuse about one traced request in 20,000,
            // and only our own span's id is stored. A malformed one is scanned like any header.
            if (name.Equals("traceparent", StringComparison.OrdinalIgnoreCase) && values.Count == 1 && TraceParent().IsMatch(values[0] ?? "")) continue;
            // Authorization is scanned: a token is base64, where a Luhn-valid 13-digit run is about
            // as likely as guessing the key.
            if (ContainsCardNumber(name)) return "headers";
            foreach (var value in values)
                if (value is not null && ContainsCardNumber(value, inIdTokens: false)) return name;
        }
        return null;
    }

    private static async Task<(bool TooLarge, string? Field)> FindInBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength is 0 || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
            return (false, null);
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type);
        var mediaType = type?.MediaType.Value?.ToLowerInvariant() ?? "";
        // An LLPG extract (text/csv) is machine-made columns of numbers, not a place anyone types a
        // card; scanning it would risk refusing a whole gazetteer over one coordinate pair. Only an
        // endpoint that declares it takes one is spared, so text/csv is no way round the guard elsewhere.
        if (mediaType == "text/csv" && context.GetEndpoint()?.Metadata.GetMetadata<MachineMadeCsv>() is not null)
            return (false, null);
        if (request.ContentLength > MaxScannedBytes) return (true, null);

        request.EnableBuffering();
        var bytes = await ReadAtMostAsync(request.Body, MaxScannedBytes + 1, context.RequestAborted).ConfigureAwait(false);
        request.Body.Position = 0;
        if (bytes.Length > MaxScannedBytes) return (true, null);
        if (bytes.Length == 0) return (false, null);

        // As the handler will read it: in the declared charset (the JSON reader transcodes UTF-16).
        var encoding = type?.Encoding ?? Encoding.UTF8;
        var text = encoding.GetString(bytes).TrimStart('\uFEFF');
        var raw = ReferenceEquals(encoding, Encoding.UTF8) ? text : Encoding.UTF8.GetString(bytes);

        if (request.HasFormContentType && await FormField(request).ConfigureAwait(false) is { } formField) return (false, formField);
        // Every body is tried as JSON whatever it claims to be: a webhook reads its raw bytes as JSON.
        if (JsonField(Encoding.UTF8.GetBytes(text)) is { } jsonField) return (false, jsonField);
        return (false, ContainsCardNumber(text) || ContainsCardNumber(raw) ? "body" : null);
    }

    private static async Task<byte[]> ReadAtMostAsync(Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < limit && (read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), ct).ConfigureAwait(false)) > 0)
            buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    /// <summary>The form as the page or endpoint will bind it (percent-decoded, multipart parts in their charsets).</summary>
    private static async Task<string?> FormField(HttpRequest request)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            // Unreadable for the handler too; the raw text is still scanned.
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }
        foreach (var (key, values) in form)
        {
            if (ContainsCardNumber(key)) return "body";
            foreach (var value in values)
                if (value is not null && ContainsCardNumber(value)) return key;
        }
        foreach (var file in form.Files)
            if (ContainsCardNumber(file.Name) || ContainsCardNumber(file.FileName)) return "body";
        return null;
    }

    /// <summary>
    /// The JSON path of the first string, property name or number holding a card number once
    /// unescaped ("\u0034111…" is 4111…), e.g. "reference" or "items[2]"; null when none does or
    /// the body is not JSON. Read as leniently as the host's binder reads (comments, trailing commas).
    /// </summary>
    private static string? JsonField(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 4096,
        });
        var frames = new List<JsonFrame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Next(frames);
                        frames.Add(new JsonFrame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        if (ContainsCardNumber(name)) return PathOf(frames, throughLast: false);
                        frames[^1].Name = name;
                        break;
                    case JsonTokenType.String:
                        Next(frames);
                        if (ContainsCardNumber(reader.GetString()!)) return PathOf(frames, throughLast: true);
                        break;
                    case JsonTokenType.Number:
                        Next(frames);
                        if (NumberHoldsCard(ref reader)) return PathOf(frames, throughLast: true);
                        break;
                    default:
                        Next(frames);
                        break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or not past this point: the binder refuses it too, and the raw text is still scanned.
        }
        return null;

        static void Next(List<JsonFrame> frames)
        {
            if (frames.Count > 0 && frames[^1].IsArray) frames[^1].Index++;
        }
    }

    private static bool NumberHoldsCard(ref Utf8JsonReader reader)
    {
        var rawText = Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
        if (ContainsCardNumber(rawText)) return true;
        // 4.111111111111111e15 is the same number to a numeric field.
        return reader.TryGetDecimal(out var value) && value == decimal.Truncate(value)
            && ContainsCardNumber(value.ToString("0", CultureInfo.InvariantCulture));
    }

    private static string PathOf(List<JsonFrame> frames, bool throughLast)
    {
        var path = new StringBuilder();
        for (var i = 0; i < frames.Count; i++)
        {
            var f = frames[i];
            if (f.IsArray) path.Append('[').Append(f.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            else if ((throughLast || i < frames.Count - 1) && f.Name is not null) path.Append(path.Length == 0 ? "" : ".").Append(f.Name);
        }
        return path.Length == 0 ? "body" : path.ToString();
    }

    private sealed class JsonFrame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public string? Name { get; set; }
        public int Index { get; set; } = -1;
    }

    // A run of 13–19 digits with single spaces or dashes between them, not part of a longer run.
    [GeneratedRegex(@"(?<!\d[\s\-]?)(?:\d[\s\-]?){12,18}\d(?![\s\-]?\d)")]
    private static partial Regex Candidate();

    // Three to six groups of 3–6 digits joined by a space, dash, dot or slash, not part of a longer run.
    [GeneratedRegex(@"(?<!\d[\s\-./]?)\d{3,6}(?:[\s\-./]\d{3,6}){2,5}(?![\s\-./]?\d)")]
    private static partial Regex Grouped();

    // A whole UUID-shaped token: not glued to other letters or digits.
    [GeneratedRegex(@"(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[0-9A-Fa-f]{32})(?![0-9A-Za-z])")]
    private static partial Regex Uuid();

    // W3C trace context: version-traceid-parentid-flags, lowercase hex.
    [GeneratedRegex(@"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")]
    private static partial Regex TraceParent();
}

/// <summary>
/// Endpoint metadata: this endpoint takes a machine-made CSV extract (an LLPG), which
/// <see cref="CardNumberGuard"/> leaves unscanned and unlimited in size.
/// </summary>
public sealed class MachineMadeCsv;

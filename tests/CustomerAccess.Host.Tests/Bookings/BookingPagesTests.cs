using System.Net;
using System.Text.RegularExpressions;
using CustomerAccess.Contracts;
using CustomerAccess.Testing;

namespace CustomerAccess.Host.Tests.Bookings;

/// <summary>The booking screens, server-rendered, through plain HTTP form posts (no JavaScript).</summary>
public partial class BookingPagesTests
{
    private HostFixture _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await HostFixture.StartAsync(testAuth: true);

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private HttpClient As(string name, string role, params string[] councils)
    {
        var http = _host.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User(name, role, councils));
        return http;
    }

    [GeneratedRegex("name=\"slotId\" type=\"radio\" value=\"([^\"]+)\"")]
    private static partial Regex SlotRadio();

    private static Task<string> Page(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK) => PageForms.ReadAsync(response, status);

    private static Task<HttpResponseMessage> PostFrom(HttpClient http, string formHtml, string action, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = PageForms.AntiforgeryToken(formHtml);
        return http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    // The calendar's window and its previous/next links would run off the ends of the calendar.
    [TestCase("0001-01-01")]
    [TestCase("0001-01-08")]
    [TestCase("9999-12-20")]
    [TestCase("9999-12-31")]
    public async Task A_calendar_from_the_ends_of_the_calendar_is_an_html_400_page(string from)
    {
        using var advisor = As("advisor", "advisor", SeedCouncils.Cheltenham);
        advisor.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var response = await advisor.GetAsync($"/councils/cheltenham/bookings/resources/pitch-1?from={from}");
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(await Page(response, HttpStatusCode.BadRequest), Does.Contain("There is a problem").And.Contain("href=\"#from\"").And.Contain("within 10 years"));
    }

    [Test]
    public async Task A_booking_form_or_cancel_button_sent_twice_books_and_cancels_once()
    {
        using var advisor = As("advisor", "advisor", SeedCouncils.All.ToArray());
        var customer = await BookingTests.RegisterAsync(new ApiClient(advisor, "advisor"));
        // Interview rooms have three places a slot, so a second booking would be taken, not refused as full.
        var url = $"/councils/cheltenham/bookings/new?customerId={customer}&resourceId=interview-rooms";
        var form = await Page(await advisor.GetAsync(url));
        var slot = WebUtility.HtmlDecode(SlotRadio().Match(form).Groups[1].Value);
        var (booked, bookedAgain) = await PageForms.PostTwiceAsync(advisor, form, url,
            new() { ["customerId"] = customer, ["resourceId"] = "interview-rooms", ["slotId"] = slot }, "method=\"post\"");
        var bookingPage = await Page(booked);
        var bookingUrl = booked.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.That(bookedAgain.RequestMessage!.RequestUri!.AbsolutePath, Is.EqualTo(bookingUrl));
        Assert.That(await Page(bookedAgain), Does.Contain("data-testid=\"replayed\""));
        Assert.That(await Recorded.EventsAsync(_host.Database, "cheltenham", customer, "bookings.booking-made"), Is.EqualTo(1));

        var (cancelled, cancelledAgain) = await PageForms.PostTwiceAsync(advisor, bookingPage, bookingUrl + "?handler=Cancel", new(), "handler=Cancel");
        await Page(cancelled);
        Assert.That(await Page(cancelledAgain), Does.Contain("data-testid=\"booking-status\">Cancelled").And.Contain("data-testid=\"replayed\""));
    }

    [Test]
    public async Task An_advisor_books_a_room_from_the_calendar_and_cancels_it_and_another_council_is_refused()
    {
        using var advisor = As("advisor", "advisor", SeedCouncils.All.ToArray());
        using var cotswold = As("advisor.cotswold", "advisor", SeedCouncils.Cotswold);
        var customer = await BookingTests.RegisterAsync(new ApiClient(advisor, "advisor"));

        var resources = await Page(await advisor.GetAsync($"/councils/cheltenham/bookings?customerId={customer}"));
        Assert.That(resources, Does.Contain("Football pitch 1").And.Contain("Community room").And.Contain("/waste/bulky-collections/new?customerId="));
        var calendar = await Page(await advisor.GetAsync($"/councils/cheltenham/bookings/resources/community-room?customerId={customer}"));
        Assert.That(calendar, Does.Contain("data-testid=\"availability\"").And.Contain("1 of 1"));
        Assert.That(await Page(await advisor.GetAsync("/councils/cheltenham/bookings/resources/community-room?from=soon"), HttpStatusCode.BadRequest),
            Does.Contain("There is a problem").And.Contain("href=\"#from\""));

        var url = $"/councils/cheltenham/bookings/new?customerId={customer}&resourceId=community-room";
        var form = await Page(await advisor.GetAsync(url));
        var slot = WebUtility.HtmlDecode(SlotRadio().Match(form).Groups[1].Value);
        Assert.That(slot, Does.StartWith("community-room:"));

        // No slot chosen: the form comes back with the problem linked to the field.
        var bad = await PostFrom(advisor, form, url, new() { ["customerId"] = customer, ["resourceId"] = "community-room" });
        Assert.That(await Page(bad, HttpStatusCode.BadRequest), Does.Contain("There is a problem").And.Contain("href=\"#slotId\""));

        var booked = await PostFrom(advisor, form, url, new() { ["customerId"] = customer, ["resourceId"] = "community-room", ["slotId"] = slot });
        var bookingPage = await Page(booked);
        var bookingUrl = booked.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.That(bookingUrl, Does.Match("^/councils/cheltenham/bookings/[0-9a-f-]+$"));
        Assert.That(bookingPage, Does.Contain("Booking confirmed").And.Contain("data-testid=\"booking-status\">Confirmed"));

        // The slot is now full on the calendar.
        var day = slot[(slot.IndexOf(':') + 1)..];
        var after = await Page(await advisor.GetAsync($"/councils/cheltenham/bookings/resources/community-room?from={day[..4]}-{day[4..6]}-{day[6..8]}"));
        Assert.That(after, Does.Contain("0 of 1"));

        var cancelled = await PostFrom(advisor, bookingPage, bookingUrl + "?handler=Cancel", new());
        Assert.That(await Page(cancelled), Does.Contain("Booking cancelled").And.Contain("data-testid=\"booking-status\">Cancelled"));

        Assert.That((await cotswold.GetAsync("/councils/cheltenham/bookings")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await cotswold.GetAsync(bookingUrl)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await advisor.GetAsync(bookingUrl.Replace("cheltenham", "cotswold", StringComparison.Ordinal))).StatusCode,
            Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task An_advisor_finds_a_booking_by_the_reference_a_resident_reads_out()
    {
        using var advisor = As("advisor", "advisor", SeedCouncils.All.ToArray());
        var api = new ApiClient(advisor, "advisor");
        var customer = await BookingTests.RegisterAsync(api);
        var slot = (await BookingTests.FirstSlotAsync(api, "pitch-1"))["slotId"]!.GetValue<string>();
        var booked = await ApiClient.Expect(await api.PostAsync($"{BookingTests.Base}/bookings", new { customerId = customer, slotId = slot }), HttpStatusCode.Created);
        var id = booked["id"]!.GetValue<string>();
        var reference = booked["reference"]!.GetValue<string>();

        var screen = await Page(await advisor.GetAsync("/councils/cheltenham/bookings"));
        Assert.That(screen, Does.Contain("Find a booking by reference").And.Contain("CHE-B-000123").And.Not.Contain("There is a problem"));

        // As typed: lower case, with spaces round it.
        var found = await Page(await advisor.GetAsync($"/councils/cheltenham/bookings?reference={Uri.EscapeDataString(" " + reference.ToLowerInvariant() + " ")}"));
        Assert.That(found, Does.Contain("data-testid=\"bookings-found\"").And.Contain($"href=\"/councils/cheltenham/bookings/{id}\"").And.Contain(reference));
        Assert.That(await Page(await advisor.GetAsync($"/councils/cheltenham/bookings/{id}")), Does.Contain($"data-testid=\"booking-reference\">{reference}<"));

        // Another council's screen does not find it.
        Assert.That(await Page(await advisor.GetAsync($"/councils/cotswold/bookings?reference={reference}")),
            Does.Contain("data-testid=\"no-booking-found\"").And.Not.Contain(id));

        // An empty box is pointed out in the error summary, linked to the field.
        Assert.That(await Page(await advisor.GetAsync("/councils/cheltenham/bookings?reference=+"), HttpStatusCode.BadRequest),
            Does.Contain("There is a problem").And.Contain("href=\"#reference\"").And.Contain("govuk-input--error"));
    }

    [Test]
    public async Task The_bulky_waste_wizard_checks_the_answers_holds_the_day_and_shows_the_payment_due()
    {
        using var advisor = As("advisor", "advisor", SeedCouncils.All.ToArray());
        var customer = await BookingTests.RegisterAsync(new ApiClient(advisor, "advisor"));
        var url = $"/councils/cheltenham/waste/bulky-collections/new?customerId={customer}&uprn=16150000001";
        var form = await Page(await advisor.GetAsync(url));
        var slot = WebUtility.HtmlDecode(SlotRadio().Match(form).Groups[1].Value);
        Assert.That(slot, Does.StartWith("bulky-waste:"));

        var noItems = await PostFrom(advisor, form, url + "&handler=Check",
            new() { ["customerId"] = customer, ["uprn"] = "16150000001", ["slotId"] = slot, ["items"] = "" });
        Assert.That(await Page(noItems, HttpStatusCode.BadRequest), Does.Contain("There is a problem").And.Contain("href=\"#items\""));

        var check = await PostFrom(advisor, form, url + "&handler=Check",
            new() { ["customerId"] = customer, ["uprn"] = "16150000001", ["slotId"] = slot, ["items"] = "sofa\nfridge" });
        var checkPage = await Page(check);
        Assert.That(checkPage, Does.Contain("Check the bulky waste collection").And.Contain("<li>fridge</li>"));

        var key = WebUtility.HtmlDecode(Regex.Match(checkPage, "name=\"idempotencyKey\" value=\"([^\"]+)\"").Groups[1].Value);
        Assert.That(key, Is.Not.Empty);
        var confirmed = await PostFrom(advisor, checkPage, url + "&handler=Confirm",
            new() { ["customerId"] = customer, ["uprn"] = "16150000001", ["slotId"] = slot, ["items"] = "sofa\nfridge", ["idempotencyKey"] = key });
        var page = await Page(confirmed);
        // A second click on Confirm (same form, same key) lands on the same collection.
        var twice = await PostFrom(advisor, checkPage, url + "&handler=Confirm",
            new() { ["customerId"] = customer, ["uprn"] = "16150000001", ["slotId"] = slot, ["items"] = "sofa\nfridge",
                ["idempotencyKey"] = key });
        await Page(twice);
        Assert.That(twice.RequestMessage!.RequestUri!.AbsolutePath, Is.EqualTo(confirmed.RequestMessage!.RequestUri!.AbsolutePath));
        Assert.That(confirmed.RequestMessage!.RequestUri!.AbsolutePath, Does.Match("^/councils/cheltenham/waste/bulky-collections/[0-9a-f-]+$"));
        var text = WebUtility.HtmlDecode(page);
        Assert.That(text, Does.Contain("data-testid=\"bulky-status\">Awaiting payment").And.Contain("Payment due: £35.00"));
        Assert.That(text, Does.Contain($"/councils/cheltenham/payments/new?customerId={customer}&paymentRequestId="));
    }
}

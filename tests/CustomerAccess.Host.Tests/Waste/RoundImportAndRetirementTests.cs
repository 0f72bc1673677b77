using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CustomerAccess.Customer.Tests;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace CustomerAccess.Host.Tests.Waste;

/// <summary>
/// A round's properties imported from a CSV file (the API and the round's admin screen), and retiring a round: what it
/// then answers for its properties, that it takes no new ones, that the lists mark it and that its properties move to
/// another round. A council onboarded here with a gazetteer of <see cref="Properties"/> properties.
/// </summary>
public sealed partial class RoundImportAndRetirementTests
{
    private const long Usrn = 82000001;
    private const long Base = 820_000_000_000; // the gazetteer holds Base+1 .. Base+Properties
    private const int Properties = 3_000;
    private const long NotInGazetteer = 820_000_999_999;

    private HostFixture _host = null!;
    private ApiClient _admin = null!;
    private ApiClient _advisor = null!;
    private string _council = null!;
    private static int _next; // each test takes its own properties

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync(testAuth: true);
        _council = "wold-" + Guid.NewGuid().ToString("N")[..8];
        _admin = ApiClient.As(_host, "admin", "partnership-admin", "*");
        _advisor = ApiClient.As(_host, "advisor.wold", "advisor", _council);
        await ApiClient.Expect(await _admin.PostAsync("/api/councils", new { id = _council, name = "Wold District Council", contactNumber = "01632 960456" }),
            HttpStatusCode.Created);
        var rows = new List<string> { Dtf.Header(), Dtf.Street(Usrn), Dtf.Descriptor(Usrn, "Long Lane", null, "Woldham") };
        for (var i = 1; i <= Properties; i++) rows.Add(Dtf.Blpu(Base + i));
        for (var i = 1; i <= Properties; i++)
            rows.Add(Dtf.Lpi(Base + i, "8200L" + i.ToString("D9", CultureInfo.InvariantCulture), Usrn, "GL98 1AA", pao: Dtf.Part(i)));
        rows.Add(Dtf.Trailer(rows.Count - 1));
        var imported = await ApiClient.Expect(await _admin.Http.PostAsync($"/api/councils/{_council}/gazetteer/imports",
            new StringContent(Dtf.File([.. rows]), Encoding.UTF8, "text/csv")), HttpStatusCode.OK);
        Assert.That(imported["rejected"]!.AsArray(), Is.Empty);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _admin.Dispose();
        _advisor.Dispose();
        await _host.DisposeAsync();
    }

    private string Api => $"/api/councils/{_council}";

    private static string Text(long uprn) => uprn.ToString(CultureInfo.InvariantCulture);

    /// <summary>The next <paramref name="count"/> properties of the gazetteer no other test uses.</summary>
    private static long[] Take(int count)
    {
        var last = Interlocked.Add(ref _next, count);
        Assert.That(last, Is.LessThanOrEqualTo(Properties), "the fixture's gazetteer is big enough");
        return Enumerable.Range(last - count + 1, count).Select(i => Base + i).ToArray();
    }

    private async Task<string> RoundAsync(string container = "refuse", int weekday = 2)
    {
        var id = container + "-" + Guid.NewGuid().ToString("N")[..8];
        await ApiClient.Expect(await _admin.Http.PutAsJsonAsync($"{Api}/waste/rounds/{id}",
            new { name = "Round " + id, container, weekday, frequency = "weekly" }), HttpStatusCode.Created);
        return id;
    }

    private Task<HttpResponseMessage> ImportAsync(string round, string csv, string type = "text/csv") =>
        _admin.Http.PostAsync($"{Api}/waste/rounds/{round}/properties/imports", new StringContent(csv, Encoding.UTF8, type));

    private static void HasPosition(HttpResponseMessage response) =>
        Assert.That(response.Headers.TryGetValues("X-Event-Position", out var values) && long.Parse(values.Single(), CultureInfo.InvariantCulture) > 0, Is.True,
            "a write says where it landed");

    private static long Position(HttpResponseMessage response) =>
        long.Parse(response.Headers.GetValues("X-Event-Position").Single(), CultureInfo.InvariantCulture);

    private static async Task<JsonObject> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await ApiClient.Expect(response, status);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        return body.AsObject();
    }

    private async Task<long[]> OnRoundAsync(string round)
    {
        var body = await ApiClient.Expect(await _advisor.GetAsync($"{Api}/waste/rounds/{round}/properties"), HttpStatusCode.OK);
        return body["items"]!.AsArray().Select(i => i!["uprn"]!.GetValue<long>()).ToArray();
    }

    private async Task<long> EventsAsync(string round, string type)
    {
        await using var db = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from es.events where tenant_id = $1 and stream_id = $2 and event_type = $3", db);
        cmd.Parameters.AddWithValue(_council);
        cmd.Parameters.AddWithValue("waste-round-" + round);
        cmd.Parameters.AddWithValue(type);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static (int Line, string Reason)[] Rejected(JsonNode report) =>
        report["rejected"]!.AsArray().Select(r => (r!["line"]!.GetValue<int>(), r["reason"]!.GetValue<string>())).ToArray();

    [Test]
    public async Task An_import_loads_the_good_rows_reports_each_bad_line_and_importing_it_again_changes_nothing()
    {
        var round = await RoundAsync();
        var (a, b, c) = Take(3) switch { var t => (t[0], t[1], t[2]) };
        var csv = string.Join("\r\n",
            "Address,UPRN,Notes",                        // 1: the header; the column is found by name, in any case
            $"\"1 Long Lane, Woldham\",{Text(a)},gate",  // 2
            $"2 Long Lane,{Text(b)}",                    // 3
            "3 Long Lane,12ab,",                         // 4: not a number
            $"again,{Text(a)},",                         // 5: the same as line 2
            "",                                          // 6: blank, skipped
            $"elsewhere,{Text(NotInGazetteer)},",        // 7: not this council's
            "no uprn,,",                                 // 8
            $"\"a note\nover two lines\",{Text(c)}",     // 9-10: a quoted line break
            $"minus,-5") + "\r\n";                       // 11

        var first = await ImportAsync(round, csv);
        var report = await ApiClient.Expect(first, HttpStatusCode.OK);
        HasPosition(first);
        Assert.Multiple(() =>
        {
            Assert.That(report["added"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(report["alreadyOnRound"]!.GetValue<int>(), Is.EqualTo(0));
            Assert.That(Rejected(report).Select(r => r.Line), Is.EqualTo(new[] { 4, 5, 7, 8, 11 }));
            Assert.That(Rejected(report)[0].Reason, Does.Contain("Not a UPRN"));
            Assert.That(Rejected(report)[1].Reason, Does.Contain("same UPRN as line 2"));
            Assert.That(Rejected(report)[2].Reason, Does.Contain("gazetteer"));
            Assert.That(Rejected(report)[3].Reason, Does.Contain("No UPRN"));
        });
        Assert.That(await OnRoundAsync(round), Is.EqualTo(new[] { a, b, c }));
        var days = await ApiClient.Expect(await _advisor.GetAsync($"{Api}/waste/collections?uprn={Text(c)}"), HttpStatusCode.OK);
        Assert.That(days["items"]!.AsArray().Single()!["round"]!.GetValue<string>(), Is.EqualTo(round), "bin days follow the import");

        var again = await ImportAsync(round, csv);
        var second = await ApiClient.Expect(again, HttpStatusCode.OK);
        Assert.That((second["added"]!.GetValue<int>(), second["alreadyOnRound"]!.GetValue<int>()), Is.EqualTo((0, 3)));
        Assert.That(Rejected(second), Is.EqualTo(Rejected(report)), "the same lines refused for the same reasons");
        // Every successful write answers a position; with nothing of its own written it is the
        // council's latest, here the first import's.
        Assert.That(Position(again), Is.EqualTo(Position(first)), "nothing was written");
        Assert.That(await EventsAsync(round, "waste.round-properties-changed"), Is.EqualTo(1));
        Assert.That(await OnRoundAsync(round), Is.EqualTo(new[] { a, b, c }));
    }

    [Test]
    public async Task A_file_of_thousands_of_rows_is_one_request_and_one_event_and_a_property_on_another_round_moves_here()
    {
        var other = await RoundAsync();
        var round = await RoundAsync();
        var uprns = Take(2_500);
        await ApiClient.Expect(await _admin.Http.PutAsync($"{Api}/waste/rounds/{other}/properties/{Text(uprns[7])}", null), HttpStatusCode.OK);
        var csv = "uprn\n" + string.Join("\n", uprns.Select(Text)) + "\n";

        var response = await ImportAsync(round, csv);
        var report = await ApiClient.Expect(response, HttpStatusCode.OK);
        HasPosition(response);
        Assert.That((report["added"]!.GetValue<int>(), report["alreadyOnRound"]!.GetValue<int>()), Is.EqualTo((2_500, 0)));
        Assert.That(report["rejected"]!.AsArray(), Is.Empty);
        var moved = report["movedFrom"]!.AsArray().Single()!;
        Assert.That((moved["uprn"]!.GetValue<long>(), moved["fromRoundId"]!.GetValue<string>()), Is.EqualTo((uprns[7], other)));
        Assert.That(await EventsAsync(round, "waste.round-properties-changed"), Is.EqualTo(1), "the whole file is one event");
        Assert.That(await OnRoundAsync(round), Has.Length.EqualTo(2_500));
        Assert.That(await OnRoundAsync(other), Is.Empty, "one round per container");
    }

    [Test]
    public async Task A_file_that_is_not_a_round_csv_is_refused_with_a_problem_and_only_an_admin_imports()
    {
        var round = await RoundAsync();
        var uprn = Take(1)[0];
        var noColumn = await Problem(await ImportAsync(round, $"property\n{Text(uprn)}\n"), HttpStatusCode.BadRequest);
        Assert.That(noColumn["errors"]!["file"]!.ToJsonString(), Does.Contain("uprn"));
        Assert.That((await Problem(await ImportAsync(round, ""), HttpStatusCode.BadRequest))["errors"]!["file"], Is.Not.Null);
        await Problem(await ImportAsync(round, $"{{\"uprns\":[{Text(uprn)}]}}", "application/json"), HttpStatusCode.UnsupportedMediaType);
        var tooMany = "uprn\n" + string.Concat(Enumerable.Repeat("1\n", 10_001));
        await Problem(await ImportAsync(round, tooMany), HttpStatusCode.RequestEntityTooLarge);
        await Problem(await ImportAsync("no-such-round", $"uprn\n{Text(uprn)}\n"), HttpStatusCode.NotFound);
        var refused = await _advisor.Http.PostAsync($"{Api}/waste/rounds/{round}/properties/imports",
            new StringContent($"uprn\n{Text(uprn)}\n", Encoding.UTF8, "text/csv"));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await OnRoundAsync(round), Is.Empty, "nothing was written");
    }

    [Test]
    public async Task A_retired_round_answers_no_collections_takes_no_properties_is_marked_retired_and_its_properties_move_to_another_round()
    {
        var round = await RoundAsync("food", 3);
        var next = await RoundAsync("food", 4);
        var (kept, moving, extra) = Take(3) switch { var t => (t[0], t[1], t[2]) };
        await ApiClient.Expect(await ImportAsync(round, $"uprn\n{Text(kept)}\n{Text(moving)}\n"), HttpStatusCode.OK);
        Assert.That((await ApiClient.Expect(await _advisor.GetAsync($"{Api}/waste/collections?uprn={Text(kept)}"), HttpStatusCode.OK))["items"]!.AsArray(),
            Has.Count.EqualTo(1));
        var onNoRound = await _advisor.GetAsync($"{Api}/waste/collections?uprn={Text(extra)}");
        var nothing = await Problem(onNoRound, HttpStatusCode.NotFound);

        var retiring = await _admin.Http.PostAsync($"{Api}/waste/rounds/{round}/retirement", null);
        var retired = await ApiClient.Expect(retiring, HttpStatusCode.OK);
        HasPosition(retiring);
        Assert.That(retired["retired"]!.GetValue<bool>(), Is.True);
        Assert.That(retired["retiredAt"]!.GetValue<DateTimeOffset>(), Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5)));

        // Its properties get what a property on no round gets.
        var gone = await Problem(await _advisor.GetAsync($"{Api}/waste/collections?uprn={Text(kept)}"), HttpStatusCode.NotFound);
        Assert.That((gone["title"]!.GetValue<string>(), gone["detail"]!.GetValue<string>()),
            Is.EqualTo((nothing["title"]!.GetValue<string>(), nothing["detail"]!.GetValue<string>())));
        Assert.That((await _advisor.GetAsync($"{Api}/waste/collections.ics?uprn={Text(kept)}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        // Retiring again records nothing.
        var twice = await _admin.Http.PostAsync($"{Api}/waste/rounds/{round}/retirement", null);
        Assert.That((await ApiClient.Expect(twice, HttpStatusCode.OK))["retiredAt"]!.GetValue<DateTimeOffset>(),
            Is.EqualTo(retired["retiredAt"]!.GetValue<DateTimeOffset>()));
        Assert.That(Position(twice), Is.EqualTo(Position(retiring)), "nothing new was written");
        Assert.That(await EventsAsync(round, "waste.round-retired"), Is.EqualTo(1));

        // The lists mark it.
        var list = await ApiClient.Expect(await _advisor.GetAsync($"{Api}/waste/rounds"), HttpStatusCode.OK);
        var items = list["items"]!.AsArray().ToDictionary(r => r!["id"]!.GetValue<string>(), r => r!["retired"]!.GetValue<bool>());
        Assert.That((items[round], items[next]), Is.EqualTo((true, false)));
        Assert.That((await ApiClient.Expect(await _advisor.GetAsync($"{Api}/waste/rounds/{round}"), HttpStatusCode.OK))["retired"]!.GetValue<bool>(), Is.True);

        // No new properties, by any route: 409 with a problem body, and nothing written.
        var one = await Problem(await _admin.Http.PutAsync($"{Api}/waste/rounds/{round}/properties/{Text(extra)}", null), HttpStatusCode.Conflict);
        Assert.That(one["detail"]!.GetValue<string>(), Does.Contain("retired"));
        Assert.That(one["retiredAt"], Is.Not.Null);
        await Problem(await _admin.Http.PutAsJsonAsync($"{Api}/waste/rounds/{round}/properties", new { uprns = new[] { kept, moving, extra } }), HttpStatusCode.Conflict);
        await Problem(await ImportAsync(round, $"uprn\n{Text(extra)}\n"), HttpStatusCode.Conflict);
        await Problem(await _admin.Http.PutAsJsonAsync($"{Api}/waste/rounds/{round}", new { name = "Renamed", container = "food", weekday = 3, frequency = "weekly" }),
            HttpStatusCode.Conflict);
        Assert.That(await OnRoundAsync(round), Is.EqualTo(new[] { kept, moving }), "its properties stay listed on it");

        // A property of the retired round moves to another round and is collected by it.
        var moved = await ApiClient.Expect(await _admin.Http.PutAsync($"{Api}/waste/rounds/{next}/properties/{Text(moving)}", null), HttpStatusCode.OK);
        Assert.That(moved["items"]!.AsArray().Select(i => i!["uprn"]!.GetValue<long>()), Is.EqualTo(new[] { moving }));
        var days = await ApiClient.Expect(await _advisor.GetAsync($"{Api}/waste/collections?uprn={Text(moving)}"), HttpStatusCode.OK);
        Assert.That(days["items"]!.AsArray().Single()!["round"]!.GetValue<string>(), Is.EqualTo(next));
        Assert.That(await OnRoundAsync(round), Is.EqualTo(new[] { kept }));
        // The rest can move by a file, and one can be taken off the retired round.
        await ApiClient.Expect(await _admin.Http.DeleteAsync($"{Api}/waste/rounds/{round}/properties/{Text(kept)}"), HttpStatusCode.OK);
        Assert.That(await OnRoundAsync(round), Is.Empty);

        Assert.That((await _advisor.Http.PostAsync($"{Api}/waste/rounds/{next}/retirement", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _admin.Http.PostAsync($"{Api}/waste/rounds/no-such-round/retirement", null)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_retired_seed_range_round_gives_way_to_no_round_while_another_councils_rounds_are_untouched()
    {
        // At a seeded council, retiring a range round leaves its properties with no round of that container.
        using var cotswoldAdmin = ApiClient.As(_host, "admin", "partnership-admin", "*");
        const long House = 16_050_000_005; // Cotswold (custodian 1605), area 0: food Mondays
        var before = await ApiClient.Expect(await cotswoldAdmin.GetAsync($"/api/councils/cotswold/waste/collections?uprn={Text(House)}"), HttpStatusCode.OK);
        Assert.That(before["items"]!.AsArray().Select(i => i!["round"]!.GetValue<string>()), Does.Contain("food-mon"));
        await ApiClient.Expect(await cotswoldAdmin.Http.PostAsync("/api/councils/cotswold/waste/rounds/food-mon/retirement", null), HttpStatusCode.OK);
        var after = await ApiClient.Expect(await cotswoldAdmin.GetAsync($"/api/councils/cotswold/waste/collections?uprn={Text(House)}"), HttpStatusCode.OK);
        Assert.That(after["items"]!.AsArray().Select(i => i!["container"]!.GetValue<string>()), Is.EquivalentTo(new[] { "refuse", "recycling", "garden" }));
        var cheltenham = await ApiClient.Expect(await cotswoldAdmin.GetAsync("/api/councils/cheltenham/waste/rounds/food-mon"), HttpStatusCode.OK);
        Assert.That(cheltenham["retired"]!.GetValue<bool>(), Is.False, "the same id at another council");
    }

    // ---- The round's admin screen ----

    private async Task<HttpClient> AdminPagesAsync()
    {
        var http = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true });
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User("admin", "partnership-admin", "*"));
        http.DefaultRequestHeaders.Add("Accept", "text/html");
        var form = await PageForms.ReadAsync(await http.GetAsync("/council"));
        var switched = await PageForms.PostAsync(http, form, "/council", new() { ["council"] = _council, ["returnUrl"] = "/" });
        Assert.That((int)switched.StatusCode, Is.EqualTo(200).Or.EqualTo(302));
        return http;
    }

    private static MultipartFormDataContent Upload(string page, string csv, string? key)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(PageForms.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent(FormCouncil().Match(page).Groups[1].Value), "formCouncil" },
        };
        if (key is not null) content.Add(new StringContent(key), "idempotencyKey");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        content.Add(file, "csvFile", "round.csv");
        return content;
    }

    [GeneratedRegex("name=\"formCouncil\" value=\"([^\"]*)\"")]
    private static partial Regex FormCouncil();

    [Test]
    public async Task On_the_round_screen_a_file_upload_shows_the_report_and_sent_twice_imports_once()
    {
        using var admin = await AdminPagesAsync();
        var round = await RoundAsync("recycling", 5);
        var (a, b) = Take(2) switch { var t => (t[0], t[1]) };
        var url = $"/admin/waste/rounds/{round}";
        var page = await PageForms.ReadAsync(await admin.GetAsync(url));
        Assert.That(page, Does.Contain("enctype=\"multipart/form-data\"").And.Contain("name=\"csvFile\""));
        var key = PageForms.FormKey(page, "handler=Import");
        var csv = $"uprn,address\n{Text(a)},1 Long Lane\nnot-a-uprn,x\n{Text(b)},2 Long Lane\n{Text(a)},again\n";

        var shown = await PageForms.ReadAsync(await admin.PostAsync(url + "?handler=Import", Upload(page, csv, key)));
        Assert.That(shown, Does.Contain("data-testid=\"import-report\""));
        Assert.That(Regex.Match(shown, "data-testid=\"import-added\"><strong>(\\d+)").Groups[1].Value, Is.EqualTo("2"));
        Assert.That(Regex.Match(shown, "data-testid=\"import-rejected-count\"><strong>(\\d+)").Groups[1].Value, Is.EqualTo("2"));
        Assert.That(shown, Does.Contain("<td class=\"govuk-table__cell\">3</td>").And.Contain("<td class=\"govuk-table__cell\">5</td>"), "the refused lines");
        Assert.That(shown, Does.Contain($"<td class=\"govuk-table__cell\">{Text(a)}</td>"), "the round's list shows them");

        // The same form sent again (a refresh, a double click): nothing more is recorded, and the page says so.
        var replay = await admin.PostAsync(url + "?handler=Import", Upload(page, csv, key));
        var replayed = await PageForms.ReadAsync(replay);
        Assert.That(replay.RequestMessage!.RequestUri!.Query, Does.Contain("replayed=1").And.Contain("done=imported"));
        Assert.That(replayed, Does.Contain("2 put on the round, 0 already on it, 2 lines refused"));
        Assert.That(await EventsAsync(round, "waste.round-properties-changed"), Is.EqualTo(1));

        // A fresh form with the same file changes nothing either, and says they are on the round already.
        var fresh = await PageForms.ReadAsync(await admin.GetAsync(url));
        var again = await PageForms.ReadAsync(await admin.PostAsync(url + "?handler=Import", Upload(fresh, csv, PageForms.FormKey(fresh, "handler=Import"))));
        Assert.That(Regex.Match(again, "data-testid=\"import-already\"><strong>(\\d+)").Groups[1].Value, Is.EqualTo("2"));
        Assert.That(await EventsAsync(round, "waste.round-properties-changed"), Is.EqualTo(1));

        // A file without a uprn column is refused on the file field; nothing is written.
        var bad = await admin.PostAsync(url + "?handler=Import", Upload(fresh, "address\n1 Long Lane\n", PageForms.FormKey(fresh, "handler=Import")));
        Assert.That(await PageForms.ReadAsync(bad, HttpStatusCode.BadRequest), Does.Contain("href=\"#csvFile\"").And.Contain("id=\"csvFile-error\""));
        var noFile = new MultipartFormDataContent
        {
            { new StringContent(PageForms.AntiforgeryToken(fresh)), "__RequestVerificationToken" },
            { new StringContent(_council), "formCouncil" },
        };
        await PageForms.ReadAsync(await admin.PostAsync(url + "?handler=Import", noFile), HttpStatusCode.BadRequest);
        Assert.That(await OnRoundAsync(round), Is.EqualTo(new[] { a, b }));
    }

    [Test]
    public async Task On_the_round_screen_retiring_asks_first_records_once_and_the_lists_mark_the_round()
    {
        using var admin = await AdminPagesAsync();
        var round = await RoundAsync("garden", 1);
        var uprn = Take(1)[0];
        await ApiClient.Expect(await _admin.Http.PutAsync($"{Api}/waste/rounds/{round}/properties/{Text(uprn)}", null), HttpStatusCode.OK);
        var url = $"/admin/waste/rounds/{round}";
        var page = await PageForms.ReadAsync(await admin.GetAsync(url));
        Assert.That(page, Does.Contain($"href=\"{url}/retire\""));

        var confirm = await PageForms.ReadAsync(await admin.GetAsync(url + "/retire"));
        Assert.That(confirm, Does.Contain("Yes, retire this round").And.Contain("No, keep it"));
        Assert.That(await EventsAsync(round, "waste.round-retired"), Is.EqualTo(0), "asking changes nothing");

        var (first, second) = await PageForms.PostTwiceAsync(admin, confirm, url + "/retire",
            new() { ["formCouncil"] = FormCouncil().Match(confirm).Groups[1].Value }, "/retire");
        Assert.That(first.RequestMessage!.RequestUri!.PathAndQuery, Is.EqualTo(url + "?done=retired"));
        var retiredPage = await PageForms.ReadAsync(first);
        Assert.That(retiredPage, Does.Contain("data-testid=\"retired-tag\"").And.Contain("Round retired"));
        Assert.That(retiredPage, Does.Not.Contain("handler=Import").And.Not.Contain("handler=AddProperty").And.Not.Contain("handler=Settings"),
            "no form that would add to it or change it");
        Assert.That(retiredPage, Does.Contain($"<td class=\"govuk-table__cell\">{Text(uprn)}</td>"), "its properties stay listed");
        Assert.That(second.RequestMessage!.RequestUri!.Query, Does.Contain("replayed=1"));
        await PageForms.ReadAsync(second);
        Assert.That(await EventsAsync(round, "waste.round-retired"), Is.EqualTo(1));

        var list = await PageForms.ReadAsync(await admin.GetAsync("/admin/waste/rounds"));
        Assert.That(list, Does.Contain($"data-testid=\"retired-{round}\""));
        Assert.That(await PageForms.ReadAsync(await admin.GetAsync(url + "/retire")), Does.Contain("already retired"));

        // Adding to it on screen is the API's 409, in the error summary.
        var add = await PageForms.PostAsync(admin, retiredPage, url + "?handler=AddProperty",
            new() { ["uprn"] = Text(Take(1)[0]), ["formCouncil"] = _council });
        Assert.That(await PageForms.ReadAsync(add, HttpStatusCode.Conflict), Does.Contain("is retired"));

        using var advisor = _host.CreateClient();
        advisor.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User("advisor", "advisor", _council));
        advisor.DefaultRequestHeaders.Add("Accept", "text/html");
        Assert.That((await advisor.GetAsync(url + "/retire")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}

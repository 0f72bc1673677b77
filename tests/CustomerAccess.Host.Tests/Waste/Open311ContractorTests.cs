using System.Net;
using CustomerAccess.Host.Tests.Payments;
using CustomerAccess.Testing;
using CustomerAccess.Waste.Domain;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Host.Tests.Waste;

/// <summary>
/// What an Open311 report hands the contractor beside the point (a fake contractor on a real socket):
/// the reporter's words for the place and the photo link, and that neither reaches the log (every
/// line at Trace captured).
/// </summary>
public class Open311ContractorTests
{
    private const string Base = "/open311/v2/cheltenham";
    private FakeContractor _contractor = null!;
    private HostFixture _host = null!;
    private WebApplicationFactory<Program> _app = null!;
    private readonly LogCapture _logs = new();
    private readonly TestWasteClock _clock = new();

    [OneTimeSetUp]
    public async Task Start()
    {
        _contractor = await FakeContractor.StartAsync();
        _host = await HostFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Waste:Contractor:BaseUrl"] = _contractor.BaseUrl,
            ["Waste:Contractor:ApiKey"] = FakeContractor.ApiKey,
            ["Waste:Contractor:RetryDelay"] = "00:00:00.020",
        }, testAuth: true);
        _app = _logs.Attach(_host).WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<WasteClock>(_clock)));
        _clock.SetLocal(2026, 12, 21, 17);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _app.DisposeAsync();
        await _host.DisposeAsync();
        await _contractor.DisposeAsync();
    }

    [Test]
    public async Task Fly_tipping_by_address_string_reaches_the_contractor_with_its_words_and_photo_and_neither_is_logged()
    {
        using var site = _app.CreateClient();
        const string place = "Under the railway bridge on Hatherley Lane";
        const string photo = "https://photos.example.org/fly/secret-token-7f3a.jpg";
        var response = await site.PostAsync($"{Base}/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["api_key"] = "local-open311-key", ["service_code"] = "fly-tipping", ["address_string"] = place, ["media_url"] = photo,
        }));
        var id = (await ApiClient.Expect(response, HttpStatusCode.Created)).AsArray().Single()!["service_request_id"]!.GetValue<string>();

        var call = await Eventually.Until(() => Task.FromResult(_contractor.Calls.LastOrDefault(c => c.Key == id && c.Status == 201)),
            c => c.Body is not null, TimeSpan.FromSeconds(15), "the order should reach the contractor");
        Assert.Multiple(() =>
        {
            Assert.That(call.Body["type"]!.GetValue<string>(), Is.EqualTo("fly-tipping"));
            Assert.That(call.Body["location"]!.GetValue<string>(), Is.EqualTo(place));
            Assert.That(call.Body["mediaUrl"]!.GetValue<string>(), Is.EqualTo(photo));
            Assert.That(call.Body["latitude"], Is.Null);
        });
        Assert.That(_logs.All, Does.Not.Contain("secret-token-7f3a").And.Not.Contain("Hatherley"));
    }
}

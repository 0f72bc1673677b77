using System.Diagnostics;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Mediator;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Platform.Tests.Messaging;

public sealed record Greet(string Name) : IRequest<string>;

internal sealed class GreetHandler : IRequestHandler<Greet, string>
{
    public int Calls;
    public int ConflictsToThrow;

    public Task<string> HandleAsync(Greet request, CancellationToken ct)
    {
        Calls++;
        if (ConflictsToThrow-- > 0) throw new ConcurrencyException("greeting-1", 3);
        return Task.FromResult("Hello " + request.Name);
    }
}

internal sealed class GreetValidator : IValidator<Greet>
{
    public void Validate(Greet request, Validator errors) => errors.Require(request.Name.Length > 0, "name", "Say who to greet.");
}

internal sealed class GreetAuthorizer : IAuthorizer<Greet>
{
    public Task AuthorizeAsync(Greet request, CancellationToken ct) =>
        request.Name == "mallory" ? throw ApiProblemException.Forbidden("Not for you.") : Task.CompletedTask;
}

public class MediatorTests
{
    private static (ServiceProvider, GreetHandler) Build()
    {
        var handler = new GreetHandler();
        var services = new ServiceCollection();
        // Only the mediator's registrations are needed: the background workers are never started.
        services.AddCustomerAccessMessaging([]);
        services.AddSingleton<IRequestHandler<Greet, string>>(handler);
        services.AddSingleton<IValidator<Greet>, GreetValidator>();
        services.AddSingleton<IAuthorizer<Greet>, GreetAuthorizer>();
        return (services.BuildServiceProvider(), handler);
    }

    [Test]
    public async Task Send_runs_the_handler_inside_one_span()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "CustomerAccess.Platform",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) spans.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);
        var (sp, _) = Build();
        await using var _sp = sp;
        await using var scope = sp.CreateAsyncScope();
        Assert.That(await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Greet("Ada")), Is.EqualTo("Hello Ada"));
        lock (spans) Assert.That(spans.Count(a => a.DisplayName == "mediator Greet"), Is.EqualTo(1));
    }

    [Test]
    public async Task An_invalid_request_is_a_400_problem_and_the_handler_never_runs()
    {
        var (sp, handler) = Build();
        await using var _sp = sp;
        var mediator = sp.CreateScope().ServiceProvider.GetRequiredService<IMediator>();
        var problem = Assert.ThrowsAsync<ApiProblemException>(() => mediator.Send(new Greet("")));
        Assert.That(problem!.Status, Is.EqualTo(400));
        Assert.That(problem.Errors!.Keys, Is.EquivalentTo(new[] { "name" }));
        Assert.That(handler.Calls, Is.Zero);
    }

    [Test]
    public async Task The_authoriser_can_refuse_before_the_handler_runs()
    {
        var (sp, handler) = Build();
        await using var _sp = sp;
        var mediator = sp.CreateScope().ServiceProvider.GetRequiredService<IMediator>();
        Assert.That(Assert.ThrowsAsync<ApiProblemException>(() => mediator.Send(new Greet("mallory")))!.Status, Is.EqualTo(403));
        Assert.That(handler.Calls, Is.Zero);
    }

    [Test]
    public async Task A_concurrency_conflict_is_retried_a_few_times_then_surfaces()
    {
        var (sp, handler) = Build();
        await using var _sp = sp;
        var mediator = sp.CreateScope().ServiceProvider.GetRequiredService<IMediator>();
        handler.ConflictsToThrow = 2;
        Assert.That(await mediator.Send(new Greet("Bo")), Is.EqualTo("Hello Bo"));
        Assert.That(handler.Calls, Is.EqualTo(3));

        handler.Calls = 0;
        handler.ConflictsToThrow = 100;
        Assert.ThrowsAsync<ConcurrencyException>(() => mediator.Send(new Greet("Bo")));
        Assert.That(handler.Calls, Is.EqualTo(4), "one try and three retries");
    }
}

using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Modules;

namespace CustomerAccess.Case.Knowledge;

/// <summary>
/// Local mode: a few realistic articles and call scripts for each seeded council. Idempotent: each
/// article has a fixed id per council and is appended only when its stream does not exist yet.
/// </summary>
internal sealed class KnowledgeSeeder(EventStore store) : ILocalSeeder
{
    public int Order => 30;

    internal static readonly IReadOnlyList<(string Slug, string Kind, string Service, string Title, string Body)> Articles =
    [
        ("missed-bin", "script", "waste", "Missed bin: call script",
            "1. Confirm the address and which container was missed (refuse, recycling, food, garden).\n2. Check the collection day: reports can be taken from the end of the collection day until two working days after.\n3. Ask whether the bin was out by 7am with the lid closed.\n4. Raise a service request for the waste team; tell the resident it will be collected within two working days."),
        ("bulky-waste", "article", "waste", "Bulky waste collections",
            "Up to three bulky items per collection. Fridges and freezers count as one item each. Payment is taken when booking; cancellations more than two working days before are refunded in full."),
        ("garden-waste", "article", "waste", "Garden waste subscription",
            "The garden waste service runs from April to March. Subscriptions are per bin; a new bin is delivered within ten working days. Residents on Council Tax Reduction get a discount."),
        ("council-tax-move", "script", "council-tax", "Moving home: Council Tax call script",
            "1. Take the moving date and the new address.\n2. Ask for the forwarding address and the new occupier if known.\n3. Explain that a final bill will follow within ten working days.\n4. Offer Direct Debit for the new account."),
        ("single-person-discount", "article", "council-tax", "Single person discount",
            "A 25% discount applies when only one adult (18 or over) lives in the property. Students, apprentices and carers may be disregarded. Review forms are sent every two years."),
        ("pest-control", "article", "environmental-health", "Pest control",
            "Rats and mice in the home are treated free of charge for residents on means-tested benefits. Wasps and other pests carry a charge. Treatments are booked within five working days."),
        ("noise-complaint", "script", "environmental-health", "Noise nuisance: call script",
            "1. Ask when and how often the noise happens and its source.\n2. Explain the diary sheets: the resident keeps a record for 14 days.\n3. Raise an enquiry for environmental health; an officer calls back within five working days.\n4. If anyone is at risk, follow the safeguarding procedure."),
        ("complaints-procedure", "article", "complaints", "Complaints procedure",
            "Stage 1: the service responds within the council's complaint standard. Stage 2: if the resident is not satisfied, a senior officer reviews within 20 working days. After that, the Local Government and Social Care Ombudsman."),
    ];

    public async Task SeedAsync(CancellationToken ct)
    {
        foreach (var council in SeedCouncils.All)
        {
            await using var session = await store.OpenSessionAsync(council, EventContext.System("local-seed"), ct).ConfigureAwait(false);
            foreach (var a in Articles)
            {
                var id = SeedId(council, a.Slug);
                if (await session.StreamVersionAsync(KnowledgeArticles.StreamPrefix + id, ct).ConfigureAwait(false) > 0) continue;
                await session.AppendAsync(KnowledgeArticles.StreamPrefix + id, ExpectedVersion.NoStream,
                    [new KnowledgeArticleSaved(id, a.Kind, a.Service, a.Title, a.Body, false)], ct: ct).ConfigureAwait(false);
            }
            await session.CommitAsync(ct).ConfigureAwait(false);
        }
    }

    internal static string SeedId(string council, string slug) => $"seed-{council}-{slug}";
}

namespace CustomerAccess.Host.Ui;

/// <summary>
/// The screens the Administration landing page (/admin) lists, in order: one line per screen, so adding one
/// is adding a line. Every one is for partnership admins; those marked <see cref="Item.ForHeaderCouncil"/>
/// act for the council chosen in the header.
/// </summary>
public static class AdminScreens
{
    public sealed record Item(string Text, string Href, string Description, bool ForHeaderCouncil);

    public static IReadOnlyList<Item> Items { get; } =
    [
        new("Waste collection rounds", "/admin/waste/rounds", "Rounds, their collection pattern and the properties on them.", true),
        new("Garden waste prices", "/admin/waste/garden-prices", "The price per bin and most bins, season by season.", true),
        new("Open311 API keys", "/admin/open311/keys", "Keys for reporting sites such as FixMyStreet: issue and revoke.", true),
        new("Bookable resources", "/admin/bookings/resources", "Pitches, pavilions, rooms and bulky-waste rounds: prices and opening times.", true),
        new("Partner councils", "/admin/councils", "The councils in the partnership, onboarding another, and which councils may see each one's customers' identity.", false),
        new("Dead letters", "/admin/dead-letters", "Messages between modules that failed every attempt: see why, and retry.", false),
    ];
}

using CustomerAccess.Waste.Domain;

namespace CustomerAccess.Waste.Open311;

/// <summary>An attribute of a service definition (GeoReport v2 "attributes"). Variable false is the spec's
/// informational attribute: its description is shown to the reporter and no value is sent.</summary>
internal sealed record O311Attribute(string Code, string Datatype, bool Required, string Description, string DatatypeDescription, int Order,
    IReadOnlyList<(string Key, string Name)> Values, bool Variable = true);

/// <summary>A service a reporting site can log, and the works-order kind it raises.</summary>
internal sealed record O311Service(string Code, string Name, string Description, string Keywords, string Group, string Kind,
    IReadOnlyList<O311Attribute> Attributes)
{
    public bool Metadata => Attributes.Count > 0;

    public O311Object Summary() => new O311Object()
        .Field("service_code", Code).Field("service_name", Name).Field("description", Description)
        .Field("metadata", Metadata).Field("type", "realtime").Field("keywords", Keywords).Field("group", Group);

    public O311Object Definition() => new O311Object()
        .Field("service_code", Code)
        .Field("attributes", new O311List("attribute", Attributes.Select(a => (object?)new O311Object()
            .Field("variable", a.Variable).Field("code", a.Code).Field("datatype", a.Datatype).Field("required", a.Required)
            .Field("datatype_description", a.DatatypeDescription).Field("order", a.Order).Field("description", a.Description)
            .Field("values", new O311List("value", a.Values.Select(v => (object?)new O311Object().Field("key", v.Key).Field("name", v.Name)).ToList())))
            .ToList()));
}

/// <summary>
/// What this council takes through Open311: a missed collection (one service, the container an
/// attribute) and fly-tipping. Both are realtime: the works order exists when the POST answers.
/// </summary>
internal static class O311Services
{
    public const string MissedBin = "missed-bin";
    public const string FlyTipping = "fly-tipping";
    public const string ContainerAttribute = "container";
    public const string PropertyAttribute = "property";

    private static readonly Dictionary<string, string> ContainerNames = new(StringComparer.Ordinal)
    {
        [Containers.Refuse] = "Refuse (general waste)",
        [Containers.Recycling] = "Recycling",
        [Containers.Food] = "Food waste",
        [Containers.Garden] = "Garden waste",
    };

    public static readonly IReadOnlyList<O311Service> All =
    [
        new(MissedBin, "Missed bin collection",
            "A bin that was out on collection day and not emptied. Report from 16:00 on the collection day (a report after the " +
            "second working day is still sent; the contractor decides on a return visit). Needs the property's UPRN as address_id (lat and long, or an address_string, cannot say which property's " +
            "bin was missed) and the reporter's email and name.",
            "missed bin, bin not emptied, collection, refuse, recycling, food, garden", "Waste and recycling", WorksOrderKinds.MissedBin,
            [
                new(ContainerAttribute, "singlevaluelist", Required: true, "Which bin was missed?", "One of the keys listed", 1,
                    Containers.All.Select(c => (c, ContainerNames.GetValueOrDefault(c) ?? c)).ToList()),
                // Sites read the definition, not the service's description, to build their form: say there what the POST refuses without.
                new(PropertyAttribute, "string", Required: false, O311Endpoints.MissedBinNeedsUprn, "Informational: send the UPRN as address_id", 2, [],
                    Variable: false),
            ]),
        new(FlyTipping, "Fly-tipping",
            "Rubbish dumped on public land. Needs the place: lat and long (WGS84), or where it is in words in address_string (passed to the " +
            "crew as written); a description of what was dumped helps the crew.",
            "fly-tipping, fly tipping, dumped rubbish, dumping, litter", "Street cleansing", WorksOrderKinds.FlyTipping, []),
    ];

    public static O311Service? Find(string? code) => All.FirstOrDefault(s => string.Equals(s.Code, code, StringComparison.Ordinal));

    public static O311Service? ForKind(string kind) => All.FirstOrDefault(s => s.Kind == kind);

    public static IReadOnlyList<string> Kinds => All.Select(s => s.Kind).ToList();
}

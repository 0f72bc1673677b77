namespace CustomerAccess.Testing;

/// <summary>The configuration a test host needs to run against a <see cref="TestDatabase"/>.</summary>
public static class HostSettings
{
    public static Dictionary<string, string?> For(TestDatabase db) => new()
    {
        ["ConnectionStrings:Admin"] = db.AdminConnectionString,
        ["CustomerAccess:MasterKey"] = db.MasterKeyBase64,
        ["CustomerAccess:MigrateOnStartup"] = "true",
        ["CustomerAccess:SeedLocal"] = "true",
    };
}

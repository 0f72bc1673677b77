namespace CustomerAccess.Platform.Modules;

/// <summary>
/// Seeds a module's local-mode data (CustomerAccess:SeedLocal=true) after migrations, in
/// <see cref="Order"/>. Must be idempotent: ./run.sh seeds on every start.
/// </summary>
public interface ILocalSeeder
{
    int Order { get; }

    Task SeedAsync(CancellationToken ct);
}

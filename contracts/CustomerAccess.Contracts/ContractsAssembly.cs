namespace CustomerAccess.Contracts;

/// <summary>
/// Marks the contracts assembly: the ids, integration events and commands modules share.
/// Nothing else crosses a module boundary.
/// </summary>
public static class ContractsAssembly;

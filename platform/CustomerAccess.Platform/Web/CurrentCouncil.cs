namespace CustomerAccess.Platform.Web;

/// <summary>
/// The council the signed-in person is serving in the UI (the header's choice, or the council in the
/// page's route when they serve it). The host implements it; module screens ask through this.
/// </summary>
public interface ICurrentCouncil
{
    Task<CouncilInfo?> CurrentAsync(CancellationToken ct = default);
}

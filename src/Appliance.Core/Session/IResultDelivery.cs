namespace Appliance.Core.Session;

/// <summary>
/// Carries journaled outcomes to the PCs that asked for them (a protocol port's delivery). Made when the host starts,
/// so it hears every result from the first one on; closed on shutdown once the session's last outcome is journaled.
/// </summary>
public interface IResultDelivery
{
    /// <summary>Sends what is still queued (for at most <paramref name="flush"/>) and closes the PCs' connections.</summary>
    Task CloseAsync(TimeSpan flush);
}

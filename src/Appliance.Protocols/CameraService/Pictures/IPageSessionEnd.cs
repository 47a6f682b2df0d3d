namespace Appliance.Protocols.CameraService.Pictures;

/// <summary>
/// Hears that a page's session ended: its CameraService WebSocket closed (docs/PRIVACY.md). Over plain HTTP a page has
/// no session (each call stands alone), so what it left is bounded by its lifetime instead.
/// </summary>
public interface IPageSessionEnd
{
    /// <param name="session">The id <see cref="CameraServiceRequest.Session"/> carried during the session.</param>
    void SessionEnded(string session);
}

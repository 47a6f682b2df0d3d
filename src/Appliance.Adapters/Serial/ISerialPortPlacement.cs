using Appliance.Core.Board;

namespace Appliance.Adapters.Serial;

/// <summary>
/// Where a serial device's driver finds its port: the board profile's path, or — where the profile says <c>sim</c> —
/// a simulator's pty. The host decides (it is the only place that picks real or simulated devices).
/// </summary>
public interface ISerialPortPlacement
{
    /// <param name="role">One of <see cref="SerialRoles"/>.</param>
    /// <returns>The path the driver opens.</returns>
    string Place(string role, SerialPortProfile port);
}

/// <summary>The serial devices' names, as the board profile, <c>/health</c> and the sim endpoints call them.</summary>
public static class SerialRoles
{
    public const string IdCard = "idCard", Fingerprint = "fingerprint", Barcode = "barcode", MagStripe = "magStripe";
}

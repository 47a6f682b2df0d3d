using System.Globalization;

namespace Appliance.Discovery;

/// <summary>What the TXT of <c>_signterm._tcp</c> says of the terminal: short keys mirroring it (RFC 6763 §6).</summary>
/// <param name="Firmware">The running firmware's version (<c>fw</c>).</param>
/// <param name="Tls"><c>http</c>, <c>https</c> or <c>both</c>: how the ports answer.</param>
public sealed record TerminalTxt(string Model, string Serial, string Firmware, Guid Uuid, int UosPort, int CameraPort, int AdminPort, string Tls)
{
    /// <summary>The TXT pairs without <c>state</c> (the advertiser adds it).</summary>
    /// <param name="fingerprint">SHA-256 of the TLS certificate, hex; read per announcement (an import changes it), left out when <see cref="Tls"/> is <c>http</c>.</param>
    public List<KeyValuePair<string, string>> Pairs(Func<string> fingerprint)
    {
        var txt = new List<KeyValuePair<string, string>>
        {
            new("txtvers", "1"),
            new("model", Model),
            new("serial", Serial),
            new("fw", Firmware),
            new("uuid", Uuid.ToString()),
            new("uos", UosPort.ToString(CultureInfo.InvariantCulture)),
            new("cam", CameraPort.ToString(CultureInfo.InvariantCulture)),
            new("adm", AdminPort.ToString(CultureInfo.InvariantCulture)),
            new("tls", Tls),
        };
        if (Tls != "http") txt.Add(new("fp", fingerprint()));
        return txt;
    }
}

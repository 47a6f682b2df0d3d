using System.Text;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.Shell;

/// <summary>
/// Every answer and message the terminal sends a PC, at Trace level with event <see cref="Sent"/> in the port's own
/// category: off by default; an integrator sees exactly what the page was told with
/// <c>Logging:LogLevel:Appliance.Protocols=Trace</c>. The test suite reads the same records to check that no answer
/// carries a runtime resource key instead of our words.
/// </summary>
public static class WireLog
{
    public static readonly EventId Sent = new(900, "WireSent");

    /// <summary>Longer answers (images in base64) are logged cut: their codes and messages come first.</summary>
    public const int MaxLoggedBytes = 4096;

    public static void Answer(ILogger log, ReadOnlySpan<byte> utf8)
    {
        if (!log.IsEnabled(LogLevel.Trace)) return;
        var text = Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, MaxLoggedBytes)]);
        log.Log(LogLevel.Trace, Sent, "sent {Answer}", text);
    }
}

using Appliance.Core.Health;
using Appliance.Devices.SmartCard;

namespace Appliance.Adapters.SmartCard;

/// <summary>Keeps the <c>smartcard</c> entry of <c>/health</c> true: after every read, and once at start before any read.</summary>
public sealed class SmartCardHealth
{
    private const string Name = "smartcard", Location = "pcsc";
    private readonly SmartCardService _cards;
    private readonly DeviceHealthRegistry _health;

    public SmartCardHealth(SmartCardService cards, DeviceHealthRegistry health)
    {
        (_cards, _health) = (cards, health);
        cards.ReaderState += (present, detail) => Report(present, detail);
    }

    /// <summary>Asks pcscd for its readers, so /health shows the reader before the first read. Blocks on pcscd: run it off the start-up path.</summary>
    public void Probe()
    {
        var readers = PcscReader.ProbeReaders();
        var filter = _cards.Options.Reader;
        var reader = readers.FirstOrDefault(r => filter.Length == 0 || r.Contains(filter, StringComparison.OrdinalIgnoreCase));
        Report(reader is not null, reader ?? (readers.Count == 0 ? "no PC/SC reader (is pcscd running?)" : $"no reader matching \"{filter}\""));
    }

    private void Report(bool present, string detail) =>
        _health.Report(Name, Name, present ? DeviceState.Ready : DeviceState.Absent, Location, detail);
}

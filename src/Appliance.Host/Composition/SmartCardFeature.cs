using Appliance.Core.Board;
using Appliance.Core.Health;
using Appliance.Devices.SmartCard;
using Appliance.Protocols.CameraService;
using Appliance.Protocols.CameraService.Card;

namespace Appliance.Host.Composition;

/// <summary>
/// IC bank cards and social-security cards through PC/SC (pcscd + libpcsclite). The sim board uses the
/// same path: pcscd with a virtual reader (vsmartcard's vpcd) and an emulated card. Health: <c>smartcard</c>.
/// </summary>
internal static class SmartCardFeature
{
    public static IServiceCollection AddSmartCardFeature(this IServiceCollection services, BoardProfile board, DeviceHealthRegistry health)
    {
        var options = new SmartCardOptions { Reader = board.SmartCard?.Reader ?? "" };
        var service = new SmartCardService(options);
        service.ReaderState += (present, detail) =>
            health.Report("smartcard", "smartcard", present ? DeviceState.Ready : DeviceState.Absent, "pcsc", detail);
        services.AddSingleton(service);
        services.AddSingleton<ICameraServiceGroup, CardGroup>();
        services.AddHostedService<SmartCardProbeService>();
        return services;
    }

    /// <summary>Asks pcscd for its readers once at start so /health shows the reader before the first read.</summary>
    private sealed class SmartCardProbeService(SmartCardService cards, DeviceHealthRegistry health) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
        {
            var readers = PcscReader.ProbeReaders();
            var filter = cards.Options.Reader;
            var reader = readers.FirstOrDefault(r => filter.Length == 0 || r.Contains(filter, StringComparison.OrdinalIgnoreCase));
            health.Report("smartcard", "smartcard", reader is null ? DeviceState.Absent : DeviceState.Ready, "pcsc",
                reader ?? (readers.Count == 0 ? "no PC/SC reader (is pcscd running?)" : $"no reader matching \"{filter}\""));
        }, stoppingToken);
    }
}

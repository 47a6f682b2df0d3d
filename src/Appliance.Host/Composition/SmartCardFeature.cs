using Appliance.Adapters;
using Appliance.Adapters.SmartCard;
using Appliance.Core.Board;
using Appliance.Core.Capture;
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
        services.AddSingleton(new SmartCardService(new SmartCardOptions { Reader = board.SmartCard?.Reader ?? "" }));
        services.AddSingleton(sp => new SmartCardHealth(sp.GetRequiredService<SmartCardService>(), health));
        services.AddSingleton<ISmartCardPort>(sp => new SmartCardAdapter(sp.GetRequiredService<SmartCardService>()));
        services.AddSingleton<ICameraServiceGroup, CardGroup>();
        services.AddHostedService<SmartCardProbe>();
        return services;
    }

    /// <summary>Probes the reader once at start, off the start-up path, so /health shows it before the first read.</summary>
    private sealed class SmartCardProbe(SmartCardHealth health) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(health.Probe, stoppingToken);
    }
}

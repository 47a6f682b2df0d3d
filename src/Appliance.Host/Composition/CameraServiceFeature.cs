using Appliance.Protocols.CameraService;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.Protocols.CameraService.Card;
using Appliance.Protocols.CameraService.Fingerprint;
using Appliance.Protocols.CameraService.Param;
using Appliance.Protocols.CameraService.Scanner;
using Appliance.Protocols.CameraService.Sign;

namespace Appliance.Host.Composition;

/// <summary>The CameraService groups that are not a device's own: <c>sign=</c> (screen + session) and <c>param=</c>.</summary>
internal static class CameraServiceFeature
{
    public static IServiceCollection AddCameraServiceGroups(this IServiceCollection services, string stateDir)
    {
        services.AddSingleton(new ParamSettings(stateDir));
        services.AddSingleton<ICameraServiceGroup, ParamGroup>();
        // The scanner's own feature registers IBarcodeScanner when the board has one; without it the group answers 2.
        services.AddSingleton<ICameraServiceGroup>(sp => new BarcodeScannerGroup(sp.GetService<Appliance.Devices.Barcode.IBarcodeScanner>()));
        services.AddSingleton<ICameraServiceGroup>(sp => new FingerprintGroup(sp.GetRequiredService<TerminalSession>(), sp.GetRequiredService<ResultsJournal>(),
            sp.GetRequiredService<TerminalSessionOptions>(), sp.GetService<Appliance.Devices.Fingerprint.IFingerprintSensor>()));
        services.AddSingleton<ICameraServiceGroup>(sp => new CardReaderGroup(sp.GetRequiredService<TerminalSession>(), sp.GetRequiredService<ResultsJournal>(),
            sp.GetRequiredService<TerminalSessionOptions>(), sp.GetService<Appliance.Devices.IdCard.IIdCardReader>(), sp.GetService<Appliance.Devices.MagStripe.IMagStripeReader>()));
        services.AddSingleton<SignTasks>();
        services.AddSingleton<ICameraServiceGroup, SignGroup>();
        return services;
    }
}

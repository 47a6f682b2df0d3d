using Appliance.Adapters;
using Appliance.Adapters.Serial;
using Appliance.Core.Board;
using Appliance.Core.Capture;
using Appliance.Core.Health;
using Appliance.Devices.Barcode;
using Appliance.Devices.Fingerprint;
using Appliance.Devices.IdCard;
using Appliance.Devices.MagStripe;
using Appliance.Imaging.IdCard;
using Appliance.SimBoard;

namespace Appliance.Host.Composition;

/// <summary>
/// The ID-card module, fingerprint module, barcode scanner and stripe reader (<see cref="SerialDeviceService"/>), their
/// ports for the protocols, and — where the profile says <c>sim</c> — their pty simulators (<see cref="SerialPortPlacement"/>).
/// </summary>
public static class SerialDevicesFeature
{
    public static IServiceCollection AddSerialDevices(this IServiceCollection services, BoardProfile board, string stateDir)
    {
        services.AddSingleton(_ => new SerialPortPlacement(stateDir));
        services.AddSingleton(sp => new SerialDeviceService(board, sp.GetRequiredService<SerialPortPlacement>(), sp.GetRequiredService<DeviceHealthRegistry>()));
        services.AddHostedService<SerialDevicesLifetime>();

        // The ports are there whatever the board fits: a device it lacks stays absent (2); UOS asks the board for "not supported".
        services.AddSingleton<IIdCardCapture>(sp => new IdCardReaderAdapter(sp.GetRequiredService<SerialDeviceService>().IdCard, new IdCardFaceRenderer(board.Fonts.Cjk)));
        services.AddSingleton<IFingerprintCapture>(sp => new FingerprintSensorAdapter(sp.GetRequiredService<SerialDeviceService>().Fingerprint));
        services.AddSingleton<IBarcodeScannerPort>(sp => new BarcodeScannerAdapter(sp.GetRequiredService<SerialDeviceService>().Barcode));
        services.AddSingleton<IMagStripeCapture>(sp => new MagStripeReaderAdapter(sp.GetRequiredService<SerialDeviceService>().MagStripe));

        // The drivers themselves, for tests that drive them directly; resolving one starts the devices.
        if (board.Serial.IdCard is not null)
            services.AddSingleton<IIdCardReader>(sp => Started(sp).IdCard.Current!);
        if (board.Serial.Fingerprint is not null)
            services.AddSingleton<IFingerprintSensor>(sp => Started(sp).Fingerprint.Current!);
        if (board.Serial.Barcode is not null)
            services.AddSingleton<IBarcodeScanner>(sp => Started(sp).Barcode.Current!);
        if (board.Serial.MagStripe is not null)
            services.AddSingleton<IMagStripeReader>(sp => Started(sp).MagStripe.Current!);

        if (board.Serial.All().Any(p => p.Port.Port == BoardProfile.Simulated))
        {
            services.AddSingleton<ISimPeripherals>(sp => sp.GetRequiredService<SerialPortPlacement>());
        }
        return services;

        static SerialDeviceService Started(IServiceProvider sp)
        {
            var devices = sp.GetRequiredService<SerialDeviceService>();
            devices.EnsureStarted();
            return devices;
        }
    }

    /// <summary>Starts the devices with the host (so they connect, and /health shows them, before the first request); stops drivers, then simulators.</summary>
    private sealed class SerialDevicesLifetime(SerialDeviceService devices, SerialPortPlacement simulators) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            devices.EnsureStarted();
            return Task.CompletedTask;
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await devices.DisposeAsync().ConfigureAwait(false);
            await simulators.DisposeAsync().ConfigureAwait(false);
        }
    }
}

using Appliance.Adapters.Indicators;
using Appliance.Adapters.Pen;
using Appliance.Adapters.Voice;
using Appliance.Devices.Audio;
using Appliance.Core.Board;
using Appliance.Devices.Camera;
using Appliance.Protocols.Admin;
using Appliance.Simulators.Camera;
using Appliance.Simulators.Gpio;
using Appliance.Ui;
using Microsoft.Extensions.DependencyInjection;

namespace Appliance.SimBoard;

/// <summary>
/// The sim board, added by the host when the board profile simulates a device: the simulated GPIO chip and the admin
/// port's <c>/sim</c> endpoints through which a person (the <c>/sim/</c> page) or a test acts on the simulated terminal.
/// Each part is there only when the profile says <c>sim</c> for its device.
/// </summary>
public static class SimBoardModule
{
    /// <summary>Whether the profile simulates anything: the board named <c>sim</c>, or any device at <c>sim</c>.</summary>
    public static bool Simulates(BoardProfile board) =>
        board.IsSimulated || board.Gpio is { Chip: < 0 } || SimulatesSerial(board) || SimulatesCamera(board) || SimulatesSpeaker(board);

    public static IServiceCollection AddSimBoard(this IServiceCollection services, BoardProfile board, string stateDir)
    {
        if (board.IsSimulated)
            services.AddSingleton<IAdminRoutes>(sp => new SimScreenEndpoints(sp.GetRequiredService<ScreenService>(), sp.GetRequiredService<PenSource>().PipePath));
        if (board.Gpio is { Chip: < 0 } gpio)
        {
            var lineCount = Math.Max(8, IndicatorLines.Functions(gpio).Select(f => f.Line + 1).DefaultIfEmpty(0).Max());
            var chip = new SimulatedGpioChip(lineCount: lineCount);
            services.AddSingleton(chip);
            services.AddSingleton<IIndicatorChip>(new SimulatedIndicatorChip(chip));
            services.AddSingleton<IAdminRoutes>(new SimGpioEndpoints(chip, gpio));
        }
        // The peripherals' simulators are the serial devices feature's (it registers ISimPeripherals), the cameras' the camera feature's.
        if (SimulatesSerial(board))
            services.AddSingleton<IAdminRoutes, SimDeviceEndpoints>();
        if (SimulatesCamera(board))
            services.AddSingleton<ISimCameras>(sp => new SimCameras(sp.GetRequiredService<IReadOnlyList<SimulatedCamera>>(), sp.GetRequiredService<CameraSet>()));
        if (SimulatesSpeaker(board))
        {
            // The real ALSA output, into alsa-lib's file plugin: what the terminal would say is a WAV file.
            var recording = Path.Combine(stateDir, "sim", "voice.wav");
            Directory.CreateDirectory(Path.GetDirectoryName(recording)!);
            services.AddSingleton<IPcmOutput>(AlsaPcmOutput.ToWavFile(recording));
            services.AddSingleton<IAdminRoutes>(sp => new SimVoiceEndpoints(sp.GetRequiredService<VoicePromptService>(), recording));
        }
        return services;
    }

    private static bool SimulatesSpeaker(BoardProfile board) => board.Audio?.Device == BoardProfile.Simulated;

    private static bool SimulatesSerial(BoardProfile board) => board.Serial.All().Any(p => p.Port.Port == BoardProfile.Simulated);

    private static bool SimulatesCamera(BoardProfile board) => board.Cameras.Values.Any(c => c.Device == BoardProfile.Simulated);
}

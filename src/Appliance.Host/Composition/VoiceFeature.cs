using Appliance.Adapters.Voice;
using Appliance.Core.Board;
using Appliance.Core.Health;
using Appliance.Core.Session;
using Appliance.Devices.Audio;
using Appliance.Devices.Speech;
using Appliance.Host.Configuration;
using Microsoft.Extensions.Configuration;

namespace Appliance.Host.Composition;

/// <summary>
/// Voice prompts (configuration <c>voice</c>) on the board's speaker (board profile <c>audio</c>): espeak-ng speaks,
/// ALSA plays. The sim board's speaker (alsa-lib's <c>file</c> plugin writing a WAV file) is the sim board module's.
/// Health: <c>speaker</c>.
/// </summary>
internal static class VoiceFeature
{
    public static IServiceCollection AddVoice(this IServiceCollection services, IConfiguration configuration, BoardProfile board)
    {
        if (board.Audio is not { } audio) return services;
        var options = new VoiceOptions();
        ApplianceConfiguration.Bind(() => configuration.GetSection(VoiceOptions.Section).Bind(options));
        if (options.Validate() is { } problem) throw ConfigurationException.FromProblem(problem);

        // The sim board's speaker is the sim board module's.
        if (audio.Device != BoardProfile.Simulated) services.AddSingleton<IPcmOutput>(new AlsaPcmOutput(audio.Device));
        services.AddSingleton(sp => new VoicePromptService(
            new EspeakSynthesizer(new EspeakSettings { Voice = options.Voice, WordsPerMinute = options.WordsPerMinute }),
            sp.GetRequiredService<IPcmOutput>(), options, sp.GetRequiredService<TerminalSession>(), sp.GetRequiredService<DeviceHealthRegistry>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<VoicePromptService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<VoicePromptService>());
        return services;
    }
}

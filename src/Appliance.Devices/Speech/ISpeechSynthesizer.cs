using Appliance.Devices.Audio;

namespace Appliance.Devices.Speech;

/// <summary>Text to speech.</summary>
public interface ISpeechSynthesizer
{
    /// <summary>Speaks <paramref name="text"/> into a clip. Throws <see cref="SpeechException"/>.</summary>
    PcmClip Synthesize(string text);
}

public sealed class SpeechException(string message, Exception? inner = null) : Exception(message, inner);

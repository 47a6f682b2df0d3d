namespace Appliance.Devices.Audio;

/// <summary>Where sound leaves the terminal: a speaker through ALSA.</summary>
public interface IPcmOutput
{
    /// <summary>What the output is, for logs and /health (an ALSA device name).</summary>
    string Name { get; }

    /// <summary>Plays the clip to its end (blocking); cancelling stops it at once. Throws <see cref="AudioException"/>.</summary>
    void Play(PcmClip clip, CancellationToken cancellationToken);
}

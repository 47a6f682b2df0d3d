using Appliance.Devices.Interop;

namespace Appliance.Devices.Audio;

/// <summary>
/// Plays clips on an ALSA PCM device (<c>default</c>, <c>hw:0,0</c>, <c>plughw:1</c>, or a plugin such as the sim
/// board's <c>file:</c>). The device is opened per clip and closed after it drains, so the terminal holds the sound
/// card only while it speaks (the browser or a player may use it in between). alsa-lib resamples to what the card
/// takes (<c>soft_resample</c>).
/// </summary>
public sealed class AlsaPcmOutput(string device) : IPcmOutput
{
    /// <summary>About 100 ms per write: a cancel is heard within that.</summary>
    private const int FramesPerWrite = 2205;
    private const uint LatencyMicroseconds = 200_000;
    private const int MaxRecoveries = 3;

    public string Name => device;

    /// <summary>The ALSA <c>file</c> plugin writing a WAV file through the null device: what the sim board's speaker is.</summary>
    public static AlsaPcmOutput ToWavFile(string path)
    {
        if (path.Contains('\'') || path.Contains('\\'))
            throw new ArgumentException("the recording path cannot hold a quote or a backslash", nameof(path));
        return new AlsaPcmOutput($"file:FILE='{path}',FORMAT=wav");
    }

    public unsafe void Play(PcmClip clip, CancellationToken cancellationToken)
    {
        nint pcm;
        int error;
        try
        {
            error = Alsa.snd_pcm_open(&pcm, device, Alsa.SND_PCM_STREAM_PLAYBACK, 0);
        }
        catch (DllNotFoundException e)
        {
            throw new AudioException(AudioFailure.Absent, "alsa-lib (libasound.so.2) is not installed", e);
        }
        if (error < 0) throw new AudioException(AudioFailure.Absent, $"cannot open sound device {device}: {Alsa.Describe(error)}");
        try
        {
            error = Alsa.snd_pcm_set_params(pcm, Alsa.SND_PCM_FORMAT_S16_LE, Alsa.SND_PCM_ACCESS_RW_INTERLEAVED, 1, (uint)clip.SampleRate, 1, LatencyMicroseconds);
            if (error < 0) throw new AudioException(AudioFailure.Failed, $"sound device {device} refused mono 16-bit {clip.SampleRate} Hz: {Alsa.Describe(error)}");
            var recoveries = 0;
            fixed (short* samples = clip.Samples)
            {
                for (var done = 0; done < clip.Samples.Length;)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        Alsa.snd_pcm_drop(pcm);
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                    var frames = Math.Min(FramesPerWrite, clip.Samples.Length - done);
                    var written = Alsa.snd_pcm_writei(pcm, samples + done, (nuint)frames);
                    if (written < 0)
                    {
                        // An underrun (the card ran dry) or a resume after suspend: recover a few times, then give up.
                        error = ++recoveries > MaxRecoveries ? (int)written : Alsa.snd_pcm_recover(pcm, (int)written, 1);
                        if (error < 0) throw new AudioException(AudioFailure.Failed, $"sound device {device} failed while playing: {Alsa.Describe(error)}");
                        continue;
                    }
                    done += (int)written;
                }
            }
            Alsa.snd_pcm_drain(pcm);
        }
        finally
        {
            Alsa.snd_pcm_close(pcm);
            // A prompt plays seldom: the parsed configuration is not kept between prompts.
            Alsa.snd_config_update_free_global();
        }
    }
}

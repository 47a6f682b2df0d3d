using Appliance.Devices.Audio;
using Appliance.TestSupport;

namespace Appliance.Devices.Tests.Audio;

/// <summary>
/// The real alsa-lib path: the clip goes through snd_pcm_open / set_params / writei / drain into the library's
/// <c>file</c> plugin (slave: the null device), and sox reads the WAV it wrote.
/// </summary>
public sealed class AlsaPcmOutputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_clip_played_into_the_file_plugin_is_the_same_sound_sox_reads_back()
    {
        using var dir = new TempDir("alsa-");
        var wav = Path.Combine(dir.Path, "out.wav");
        var clip = Tone(seconds: 1.5, amplitude: 8000);
        AlsaPcmOutput.ToWavFile(wav).Play(clip, Ct);

        var stats = await SoxStats.ReadAsync(wav, Ct);
        Assert.Equal(22050, stats.SampleRate);
        Assert.Equal(1, stats.Channels);
        Assert.InRange(stats.LengthSeconds, 1.49, 1.51);
        // A sine of amplitude 8000/32768 has an RMS of 20·log10(0.244/√2) = -15.2 dB.
        Assert.InRange(stats.RmsLevelDb, -15.7, -14.7);
    }

    [Fact]
    public async Task Volume_scales_the_samples_and_never_amplifies()
    {
        using var dir = new TempDir("alsa-");
        var wav = Path.Combine(dir.Path, "out.wav");
        AlsaPcmOutput.ToWavFile(wav).Play(Tone(1, 8000).AtVolume(50), Ct);
        Assert.InRange((await SoxStats.ReadAsync(wav, Ct)).RmsLevelDb, -21.7, -20.7); // half the amplitude: 6 dB down
        var full = Tone(1, 8000);
        Assert.Same(full, full.AtVolume(100));
    }

    [Fact]
    public void A_device_that_does_not_exist_is_absent_in_words()
    {
        var e = Assert.Throws<AudioException>(() => new AlsaPcmOutput("hw:97,0").Play(Tone(0.1, 1000), Ct));
        Assert.Equal(AudioFailure.Absent, e.Failure);
        Assert.Contains("hw:97,0", e.Message);
    }

    [Fact]
    public void A_cancelled_clip_stops_before_its_end()
    {
        using var dir = new TempDir("alsa-");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => AlsaPcmOutput.ToWavFile(Path.Combine(dir.Path, "out.wav")).Play(Tone(3, 8000), cancel.Token));
    }

    private static PcmClip Tone(double seconds, short amplitude)
    {
        var samples = new short[(int)(22050 * seconds)];
        for (var i = 0; i < samples.Length; i++) samples[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * 440 * i / 22050.0));
        return new PcmClip("tone", samples, 22050);
    }
}

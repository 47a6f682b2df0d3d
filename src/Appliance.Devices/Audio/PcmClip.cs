namespace Appliance.Devices.Audio;

/// <summary>A short mono sound: signed 16-bit samples at <paramref name="SampleRate"/>, and the words it says.</summary>
public sealed record PcmClip(string Text, short[] Samples, int SampleRate)
{
    public TimeSpan Duration => TimeSpan.FromSeconds(Samples.Length / (double)SampleRate);

    /// <summary>This clip at <paramref name="percent"/> of its loudness (0-100; clipped, never louder).</summary>
    public PcmClip AtVolume(int percent)
    {
        if (percent >= 100) return this;
        var gain = Math.Max(0, percent) / 100.0;
        var scaled = new short[Samples.Length];
        for (var i = 0; i < scaled.Length; i++) scaled[i] = (short)Math.Round(Samples[i] * gain);
        return this with { Samples = scaled };
    }
}

using Appliance.Devices.Speech;

namespace Appliance.Devices.Tests.Speech;

public sealed class EspeakSynthesizerTests
{
    [Fact]
    public void Mandarin_then_English_comes_out_as_one_clip_of_speech()
    {
        var speech = new EspeakSynthesizer(new EspeakSettings());
        var clip = speech.Synthesize("请按手指。Place your finger.");
        Assert.Equal(22050, clip.SampleRate);
        Assert.InRange(clip.Duration.TotalSeconds, 1.0, 6.0);
        Assert.True(clip.Samples.Max(s => Math.Abs((int)s)) > 3000, "the clip is speech, not silence");
        Assert.Equal("请按手指。Place your finger.", clip.Text);
    }

    [Fact]
    public void A_slower_rate_makes_a_longer_clip()
    {
        var normal = new EspeakSynthesizer(new EspeakSettings { WordsPerMinute = 175 }).Synthesize("请签名。Please sign.");
        var slow = new EspeakSynthesizer(new EspeakSettings { WordsPerMinute = 100 }).Synthesize("请签名。Please sign.");
        Assert.True(slow.Duration > normal.Duration * 1.3, $"{slow.Duration} at 100 wpm vs {normal.Duration} at 175");
    }

    [Fact]
    public void An_unknown_voice_is_a_speech_error_not_an_exit()
    {
        var e = Assert.Throws<SpeechException>(() => new EspeakSynthesizer(new EspeakSettings { Voice = "no-such-voice" }).Synthesize("你好"));
        Assert.Contains("no-such-voice", e.Message);
    }
}

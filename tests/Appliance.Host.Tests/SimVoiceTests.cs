using System.Text.Json;
using Appliance.Adapters.Voice;
using Appliance.Core.Voice;
using Appliance.TestSupport;
using Microsoft.Extensions.Logging;

namespace Appliance.Host.Tests;

/// <summary>
/// Issue 23's voice prompts on the sim board: espeak-ng speaks, the real ALSA output plays into alsa-lib's file plugin,
/// and a third-party tool (sox) hears the recording; the operator's log and <c>/sim/voice</c> say what was said.
/// </summary>
public sealed class SimVoiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static readonly TheoryData<VoicePrompt> Prompts = new(Enum.GetValues<VoicePrompt>());

    [Theory]
    [MemberData(nameof(Prompts))]
    public async Task Each_prompt_plays_through_the_sim_speaker_as_speech_of_its_length_and_is_logged(VoicePrompt prompt)
    {
        var log = new LogCapture();
        await using var terminal = await RunningTerminal.StartAsync(null, log.AddTo);
        terminal.Service<VoicePromptService>().Say(prompt);
        var said = await WaitForSaidAsync(terminal, 1);

        var words = VoicePrompts.Words(prompt);
        Assert.Equal(words, said[0].GetProperty("words").GetString());
        Assert.Equal(prompt.ToString(), said[0].GetProperty("prompt").GetString());
        Assert.Equal(JsonValueKind.Null, said[0].GetProperty("error").ValueKind);
        var wav = Path.Combine(terminal.StateDir, "heard.wav");
        await File.WriteAllBytesAsync(wav, await terminal.Http.GetByteArrayAsync("/sim/voice.wav", Ct), Ct);
        var stats = await SoxStats.ReadAsync(wav, Ct);
        // At 150 words per minute (a Chinese syllable counting as a word) with the pauses of two sentences: about
        // 0.4 s a word and 1 s besides; "请签名。Please sign." is 5 words, about 3 s.
        var syllables = words.Count(c => c is >= '\u4E00' and <= '\u9FFF');
        var englishWords = words.Split(' ', '。').Count(w => w.Any(char.IsAsciiLetter));
        var expected = 1 + 0.4 * (syllables + englishWords);
        Assert.InRange(stats.LengthSeconds, expected * 0.6, expected * 1.5);
        Assert.Equal(said[0].GetProperty("seconds").GetDouble(), stats.LengthSeconds, 0.01);
        Assert.True(stats.RmsLevelDb > -30, $"the recording is speech, not silence: RMS {stats.RmsLevelDb} dB");
        Assert.True(stats.PeakLevelDb < -0.5, $"80 % volume never clips: peak {stats.PeakLevelDb} dB");

        Assert.Contains(log.Lines, l => l.Level == LogLevel.Information && l.Message.StartsWith($"said \"{words}\" (", StringComparison.Ordinal)
            && l.Message.Contains("volume 80 %", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signature_on_the_uos_port_is_asked_for_aloud_and_its_end_announced()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));
        using var pen = await SimPen.OpenAsync(terminal.StateDir);

        await terminal.OpenUosSignWindowAsync(pc);
        Assert.Equal("PleaseSign", (await WaitForSaidAsync(terminal, 1))[0].GetProperty("prompt").GetString());

        pen.Line(350, 300, 700, 350);
        pen.Tap(300 + 600 - 20 - 70, 200 + 300 - 20 - 28); // OK
        Assert.Equal("signbase64", (await pc.ReceiveJsonAsync()).GetProperty("response").GetString());
        Assert.Equal("SigningDone", (await WaitForSaidAsync(terminal, 2))[1].GetProperty("prompt").GetString());
    }

    [Fact]
    public async Task With_voice_off_by_configuration_nothing_is_said_and_health_tells_so()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--voice:enabled=false");
        terminal.Service<VoicePromptService>().Say(VoicePrompt.PleaseSign);
        var speaker = await terminal.DeviceHealthAsync("speaker", Ct);
        Assert.Equal("ready", speaker.GetProperty("state").GetString());
        Assert.Contains("voice prompts off", speaker.GetProperty("detail").GetString());
        await Task.Delay(300, Ct);
        Assert.Empty((await VoiceAsync(terminal)).GetProperty("said").EnumerateArray());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await terminal.Http.GetAsync("/sim/voice.wav", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_volume_outside_0_to_100_stops_the_start_with_the_key_named()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => RunningTerminal.StartAsync(null, "--voice:volume=150"));
        Assert.Contains("voice:volume: expected 0..100, found 150", e.Message);
    }

    private static async Task<JsonElement> VoiceAsync(RunningTerminal terminal) =>
        JsonDocument.Parse(await terminal.Http.GetStringAsync("/sim/voice", Ct)).RootElement;

    private static async Task<JsonElement[]> WaitForSaidAsync(RunningTerminal terminal, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var voice = await VoiceAsync(terminal);
            var said = voice.GetProperty("said").EnumerateArray().ToArray();
            if (said.Length >= count) return said;
            Assert.True(DateTime.UtcNow < deadline, $"the terminal said {said.Length} prompts, expected {count}; last /sim/voice: {voice}");
            await Task.Delay(50, Ct);
        }
    }
}

namespace Appliance.Adapters.Voice;

/// <summary>Configuration section <c>voice</c>: spoken prompts, when the board has audio (board profile <c>audio</c>).</summary>
public sealed class VoiceOptions
{
    public const string Section = "voice";

    public bool Enabled { get; set; } = true;

    /// <summary>0-100 % of the synthesizer's full loudness.</summary>
    public int Volume { get; set; } = 80;

    /// <summary>Speaking rate, words per minute (espeak-ng 80-450).</summary>
    public int WordsPerMinute { get; set; } = 150;

    /// <summary>espeak-ng voice; <c>cmn</c> speaks Mandarin and reads the English after it as English.</summary>
    public string Voice { get; set; } = "cmn";

    public string? Validate()
    {
        if (Volume is < 0 or > 100) return $"{Section}:volume: expected 0..100, found {Volume}";
        if (WordsPerMinute is < 80 or > 450) return $"{Section}:wordsPerMinute: expected 80..450, found {WordsPerMinute}";
        if (string.IsNullOrWhiteSpace(Voice)) return $"{Section}:voice: expected an espeak-ng voice name such as cmn";
        return null;
    }
}

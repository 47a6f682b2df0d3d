namespace Appliance.Devices.Speech;

public sealed class EspeakSettings
{
    /// <summary>espeak-ng's voice: <c>cmn</c> is Mandarin that reads Latin letters as English, so "请签名 Please sign" is one voice.</summary>
    public string Voice { get; init; } = "cmn";

    /// <summary>Words per minute (espeak-ng: 80-450, its default 175): slower for the elderly.</summary>
    public int WordsPerMinute { get; init; } = 150;

    /// <summary>The voice data directory's parent (<c>espeak-ng-data</c> inside); null for the library's built-in path.</summary>
    public string? DataPath { get; init; }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Appliance.Devices.Audio;
using Appliance.Devices.Interop;

namespace Appliance.Devices.Speech;

/// <summary>
/// Speech through libespeak-ng, the distribution's synthesizer (Debian <c>libespeak-ng1</c>, which speaks Mandarin).
/// espeak-ng keeps one synthesizer per process, so every instance shares it under one lock; it starts on the first
/// clip (about 30 ms), not at start, and then stays: espeak-ng 1.51 hangs in espeak_Synth after espeak_Terminate and a
/// second espeak_Initialize, so its voice data (about 8 MB resident with cmn) cannot be given back between prompts.
/// </summary>
public sealed class EspeakSynthesizer(EspeakSettings settings) : ISpeechSynthesizer
{
    private static readonly Lock Gate = new();
    private static int _sampleRate;
    /// <summary>The samples of the text being spoken: filled by the callback, which runs on the caller's thread inside espeak_Synth.</summary>
    private static List<short>? _collecting;

    public unsafe PcmClip Synthesize(string text)
    {
        lock (Gate)
        {
            var sampleRate = _sampleRate > 0 ? _sampleRate : _sampleRate = Initialise();
            try
            {
                Check(EspeakNg.espeak_SetVoiceByName(settings.Voice), $"espeak-ng has no voice '{settings.Voice}' (is espeak-ng-data installed?)");
                Check(EspeakNg.espeak_SetParameter(EspeakNg.espeakRATE, settings.WordsPerMinute, 0), "espeak-ng refused the speaking rate");
                var utf8 = Encoding.UTF8.GetBytes(text + "\0");
                _collecting = new List<short>(sampleRate * 2);
                fixed (byte* bytes = utf8)
                    Check(EspeakNg.espeak_Synth(bytes, (nuint)utf8.Length, 0, EspeakNg.POS_CHARACTER, 0, EspeakNg.espeakCHARS_UTF8, null, null),
                        "espeak-ng could not speak the text");
                EspeakNg.espeak_Synchronize();
                if (_collecting.Count == 0) throw new SpeechException($"espeak-ng produced no sound for \"{text}\"");
                return new PcmClip(text, [.. _collecting], sampleRate);
            }
            finally
            {
                _collecting = null;
            }
        }
    }

    /// <returns>The sample rate of the samples the callback will receive.</returns>
    private unsafe int Initialise()
    {
        int rate;
        try
        {
            var path = settings.DataPath is null ? null : Encoding.UTF8.GetBytes(settings.DataPath + "\0");
            fixed (byte* pathBytes = path)
                rate = EspeakNg.espeak_Initialize(EspeakNg.AUDIO_OUTPUT_SYNCHRONOUS, 0, pathBytes, EspeakNg.espeakINITIALIZE_DONT_EXIT);
        }
        catch (DllNotFoundException e)
        {
            throw new SpeechException("espeak-ng (libespeak-ng.so.1) is not installed", e);
        }
        if (rate <= 0) throw new SpeechException("espeak-ng could not start (is espeak-ng-data installed?)");
        EspeakNg.espeak_SetSynthCallback(&OnSamples);
        return rate;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe int OnSamples(short* samples, int count, nint events)
    {
        // A null buffer marks the end of the text; 0 means "go on".
        if (samples is not null && count > 0 && _collecting is { } collecting)
            collecting.AddRange(new ReadOnlySpan<short>(samples, count));
        return 0;
    }

    private static void Check(int status, string message)
    {
        if (status != EspeakNg.EE_OK) throw new SpeechException(message);
    }
}

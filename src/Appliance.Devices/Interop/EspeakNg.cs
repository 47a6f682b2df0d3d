using System.Runtime.InteropServices;

namespace Appliance.Devices.Interop;

/// <summary>
/// espeak-ng (<c>libespeak-ng.so.1</c>, the <c>speak_lib.h</c> API). The library is one synthesizer per process with
/// global state: callers serialise every call.
/// </summary>
internal static unsafe partial class EspeakNg
{
    private const string Lib = "libespeak-ng.so.1";

    /// <summary>espeak_AUDIO_OUTPUT: no playback; espeak_Synth returns when the text is spoken, samples through the callback.</summary>
    public const int AUDIO_OUTPUT_SYNCHRONOUS = 2;
    /// <summary>Return an error instead of calling exit() when the voice data is missing.</summary>
    public const int espeakINITIALIZE_DONT_EXIT = 0x8000;
    public const uint espeakCHARS_UTF8 = 1;
    public const int POS_CHARACTER = 1;
    /// <summary>espeak_PARAMETER: words per minute, volume (0-200, 100 normal).</summary>
    public const int espeakRATE = 1, espeakVOLUME = 2;
    public const int EE_OK = 0;

    /// <returns>The sample rate of the samples the callback receives, or -1.</returns>
    [LibraryImport(Lib)]
    public static partial int espeak_Initialize(int output, int bufferMilliseconds, byte* path, int options);

    [LibraryImport(Lib)]
    public static partial void espeak_SetSynthCallback(delegate* unmanaged[Cdecl]<short*, int, nint, int> callback);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int espeak_SetVoiceByName(string name);

    [LibraryImport(Lib)]
    public static partial int espeak_SetParameter(int parameter, int value, int relative);

    [LibraryImport(Lib)]
    public static partial int espeak_Synth(byte* text, nuint size, uint position, int positionType, uint endPosition, uint flags,
        uint* uniqueIdentifier, void* userData);

    [LibraryImport(Lib)]
    public static partial int espeak_Synchronize();
}

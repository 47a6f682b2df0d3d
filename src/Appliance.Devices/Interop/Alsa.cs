using System.Runtime.InteropServices;

namespace Appliance.Devices.Interop;

/// <summary>
/// alsa-lib (<c>libasound.so.2</c>): the few PCM calls a mono prompt needs. <c>snd_pcm_sframes_t</c> is <c>long</c>
/// (64-bit on x86-64 and arm64), so frame counts are <see cref="nint"/>; errors are negative errno values.
/// </summary>
internal static unsafe partial class Alsa
{
    private const string Lib = "libasound.so.2";

    public const int SND_PCM_STREAM_PLAYBACK = 0;
    public const int SND_PCM_FORMAT_S16_LE = 2;
    public const int SND_PCM_ACCESS_RW_INTERLEAVED = 3;

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int snd_pcm_open(nint* pcm, string name, int stream, int mode);

    [LibraryImport(Lib)]
    public static partial int snd_pcm_set_params(nint pcm, int format, int access, uint channels, uint rate, int softResample, uint latencyMicroseconds);

    [LibraryImport(Lib)]
    public static partial nint snd_pcm_writei(nint pcm, void* buffer, nuint frames);

    [LibraryImport(Lib)]
    public static partial int snd_pcm_recover(nint pcm, int error, int silent);

    [LibraryImport(Lib)]
    public static partial int snd_pcm_drain(nint pcm);

    [LibraryImport(Lib)]
    public static partial int snd_pcm_drop(nint pcm);

    [LibraryImport(Lib)]
    public static partial int snd_pcm_close(nint pcm);

    [LibraryImport(Lib)]
    public static partial nint snd_strerror(int error);

    /// <summary>Frees alsa-lib's parsed configuration (alsa.conf and its includes), read again at the next open.</summary>
    [LibraryImport(Lib)]
    public static partial int snd_config_update_free_global();

    public static string Describe(int error) => Marshal.PtrToStringUTF8(snd_strerror(error)) ?? $"error {error}";
}

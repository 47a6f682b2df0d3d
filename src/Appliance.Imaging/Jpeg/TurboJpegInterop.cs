using System.Runtime.InteropServices;

namespace Appliance.Imaging.Jpeg;

/// <summary>libturbojpeg's TurboJPEG 2.x API (Debian <c>libturbojpeg0</c>). <c>unsigned long</c> is 64-bit on Linux LP64.</summary>
internal static unsafe partial class TurboJpegInterop
{
    private const string Lib = "libturbojpeg.so.0";

    public const int TJPF_RGB = 0, TJPF_GRAY = 6, TJPF_RGBA = 7, TJPF_BGRA = 8;
    public const int TJSAMP_444 = 0, TJSAMP_422 = 1, TJSAMP_420 = 2, TJSAMP_GRAY = 3;
    public const int TJFLAG_FASTDCT = 2048;

    [LibraryImport(Lib)] public static partial nint tjInitCompress();
    [LibraryImport(Lib)] public static partial nint tjInitDecompress();
    [LibraryImport(Lib)] public static partial int tjDestroy(nint handle);
    [LibraryImport(Lib)] public static partial void tjFree(byte* buffer);
    [LibraryImport(Lib)] public static partial nint tjGetErrorStr2(nint handle);

    [LibraryImport(Lib)]
    public static partial int tjCompress2(nint handle, byte* source, int width, int pitch, int height, int pixelFormat,
        byte** jpegBuffer, nuint* jpegSize, int subsampling, int quality, int flags);

    [LibraryImport(Lib)]
    public static partial int tjCompressFromYUVPlanes(nint handle, byte** planes, int width, int* strides, int height, int subsampling,
        byte** jpegBuffer, nuint* jpegSize, int quality, int flags);

    [LibraryImport(Lib)]
    public static partial int tjDecompressHeader3(nint handle, byte* jpeg, nuint jpegSize, int* width, int* height, int* subsampling, int* colorspace);

    [LibraryImport(Lib)]
    public static partial int tjDecompress2(nint handle, byte* jpeg, nuint jpegSize, byte* destination, int width, int pitch, int height, int pixelFormat, int flags);

    /// <summary><c>tjscalingfactor</c>: the decoder scales by <c>Num/Denom</c> (1/8 … 2) while it decodes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ScalingFactor
    {
        public int Num;
        public int Denom;
    }

    [LibraryImport(Lib)]
    public static partial ScalingFactor* tjGetScalingFactors(int* count);

    public static string Error(nint handle) => Marshal.PtrToStringUTF8(tjGetErrorStr2(handle)) ?? "unknown libturbojpeg error";
}

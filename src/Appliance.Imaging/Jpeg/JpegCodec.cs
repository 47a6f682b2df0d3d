using Appliance.Devices.Camera;

namespace Appliance.Imaging.Jpeg;

public sealed class JpegException(string message) : Exception(message);

/// <summary>Pixel layouts the codec reads and writes (byte order in memory).</summary>
public enum JpegPixels
{
    Rgba,
    Bgra,
    Gray,
}

/// <summary>A decoded image: tightly packed rows.</summary>
public sealed record DecodedImage(byte[] Pixels, int Width, int Height, JpegPixels Layout);

/// <summary>
/// JPEG encode/decode through libturbojpeg. TurboJPEG handles are not thread-safe, so each thread keeps its own.
/// </summary>
public sealed unsafe class JpegCodec : IYuyvEncoder
{
    [ThreadStatic] private static nint t_compressor;
    [ThreadStatic] private static nint t_decompressor;

    public static JpegCodec Shared { get; } = new();

    private static nint Compressor => t_compressor != 0 ? t_compressor : t_compressor = Init(TurboJpegInterop.tjInitCompress());
    private static nint Decompressor => t_decompressor != 0 ? t_decompressor : t_decompressor = Init(TurboJpegInterop.tjInitDecompress());

    private static nint Init(nint handle) => handle != 0 ? handle : throw new JpegException("libturbojpeg: cannot create a handle");

    private static int PixelFormat(JpegPixels layout) => layout switch
    {
        JpegPixels.Rgba => TurboJpegInterop.TJPF_RGBA,
        JpegPixels.Bgra => TurboJpegInterop.TJPF_BGRA,
        _ => TurboJpegInterop.TJPF_GRAY,
    };

    private static int BytesPerPixel(JpegPixels layout) => layout == JpegPixels.Gray ? 1 : 4;

    /// <summary>Encodes packed pixels (4:2:0 chroma for colour, as cameras and browsers expect).</summary>
    public byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, JpegPixels layout, int quality)
    {
        var pitch = width * BytesPerPixel(layout);
        if (pixels.Length < pitch * height) throw new ArgumentException("pixel buffer smaller than width*height", nameof(pixels));
        var subsampling = layout == JpegPixels.Gray ? TurboJpegInterop.TJSAMP_GRAY : TurboJpegInterop.TJSAMP_420;
        byte* jpeg = null;
        nuint size = 0;
        fixed (byte* source = pixels)
        {
            if (TurboJpegInterop.tjCompress2(Compressor, source, width, pitch, height, PixelFormat(layout), &jpeg, &size, subsampling, Clamp(quality), TurboJpegInterop.TJFLAG_FASTDCT) != 0)
                throw new JpegException($"libturbojpeg: encode: {TurboJpegInterop.Error(Compressor)}");
        }
        return TakeBuffer(jpeg, size);
    }

    /// <summary>
    /// Packed YUYV (4:2:2) straight to JPEG through planar Y/U/V, without going through RGB. Limited-range samples
    /// are stretched to JPEG's full range on the way (one table look-up per sample), else blacks turn grey.
    /// </summary>
    public byte[] EncodeYuyv(ReadOnlySpan<byte> yuyv, int width, int height, int quality, YuvRange range)
    {
        var (lumaTable, chromaTable) = range == YuvRange.Limited ? (LimitedLuma, LimitedChroma) : (Identity, Identity);
        if ((width & 1) != 0 || yuyv.Length < width * height * 2) throw new ArgumentException("YUYV frame has the wrong size", nameof(yuyv));
        var half = width / 2;
        var planes = new byte[width * height + 2 * half * height];
        fixed (byte* source = yuyv)
        fixed (byte* y = planes)
        {
            var u = y + width * height;
            var v = u + half * height;
            for (var row = 0; row < height; row++)
            {
                var s = source + row * width * 2;
                var yr = y + row * width;
                var ur = u + row * half;
                var vr = v + row * half;
                for (var x = 0; x < half; x++, s += 4)
                {
                    yr[2 * x] = lumaTable[s[0]];
                    ur[x] = chromaTable[s[1]];
                    yr[2 * x + 1] = lumaTable[s[2]];
                    vr[x] = chromaTable[s[3]];
                }
            }
            var planePointers = stackalloc byte*[] { y, u, v };
            var strides = stackalloc int[] { width, half, half };
            byte* jpeg = null;
            nuint size = 0;
            if (TurboJpegInterop.tjCompressFromYUVPlanes(Compressor, planePointers, width, strides, height, TurboJpegInterop.TJSAMP_422, &jpeg, &size, Clamp(quality), TurboJpegInterop.TJFLAG_FASTDCT) != 0)
                throw new JpegException($"libturbojpeg: encode YUYV: {TurboJpegInterop.Error(Compressor)}");
            return TakeBuffer(jpeg, size);
        }
    }

    private static readonly byte[] Identity = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];

    /// <summary>Y 16..235 → 0..255 (BT.601 limited range to full).</summary>
    private static readonly byte[] LimitedLuma = [.. Enumerable.Range(0, 256).Select(i => (byte)Math.Clamp((int)Math.Round((i - 16) * 255.0 / 219), 0, 255))];

    /// <summary>Cb/Cr 16..240 (centred on 128) → 0..255.</summary>
    private static readonly byte[] LimitedChroma = [.. Enumerable.Range(0, 256).Select(i => (byte)Math.Clamp((int)Math.Round((i - 128) * 255.0 / 224 + 128), 0, 255))];

    /// <summary>Reads width and height without decoding.</summary>
    public (int Width, int Height) ReadSize(ReadOnlySpan<byte> jpeg)
    {
        int w, h, sub, cs;
        fixed (byte* source = jpeg)
        {
            if (TurboJpegInterop.tjDecompressHeader3(Decompressor, source, (nuint)jpeg.Length, &w, &h, &sub, &cs) != 0)
                throw new JpegException($"not a JPEG: {TurboJpegInterop.Error(Decompressor)}");
        }
        return (w, h);
    }

    public DecodedImage Decode(ReadOnlySpan<byte> jpeg, JpegPixels layout = JpegPixels.Rgba)
    {
        var (w, h) = ReadSize(jpeg);
        var pixels = new byte[w * h * BytesPerPixel(layout)];
        fixed (byte* source = jpeg)
        fixed (byte* destination = pixels)
        {
            if (TurboJpegInterop.tjDecompress2(Decompressor, source, (nuint)jpeg.Length, destination, w, w * BytesPerPixel(layout), h, PixelFormat(layout), 0) != 0)
                throw new JpegException($"JPEG decode failed: {TurboJpegInterop.Error(Decompressor)}");
        }
        return new DecodedImage(pixels, w, h, layout);
    }

    /// <summary>
    /// Decodes straight into native pixels (an <c>SKBitmap</c>'s) of <paramref name="width"/> × <paramref name="height"/>
    /// with <paramref name="rowBytes"/> per row: a grab then holds no managed copy of the frame, which would be a
    /// large-object-heap array of width × height × 4 bytes per call.
    /// </summary>
    public void DecodeInto(ReadOnlySpan<byte> jpeg, nint pixels, int width, int height, int rowBytes, JpegPixels layout = JpegPixels.Rgba)
    {
        if (pixels == 0 || rowBytes < width * BytesPerPixel(layout)) throw new ArgumentException("destination too small", nameof(pixels));
        fixed (byte* source = jpeg)
        {
            if (TurboJpegInterop.tjDecompress2(Decompressor, source, (nuint)jpeg.Length, (byte*)pixels, width, rowBytes, height, PixelFormat(layout), 0) != 0)
                throw new JpegException($"JPEG decode failed: {TurboJpegInterop.Error(Decompressor)}");
        }
    }

    /// <summary>
    /// Decodes at the smallest of libturbojpeg's DCT scaling factors (1/8, 1/4, …) that still gives at least
    /// <paramref name="minWidth"/> × <paramref name="minHeight"/>: a big frame headed for a small size is never decoded whole.
    /// </summary>
    public DecodedImage DecodeAtLeast(ReadOnlySpan<byte> jpeg, int minWidth, int minHeight, JpegPixels layout = JpegPixels.Rgba)
    {
        var (w, h) = ReadSize(jpeg);
        var (sw, sh) = (w, h);
        int count;
        var factors = TurboJpegInterop.tjGetScalingFactors(&count);
        for (var i = 0; factors is not null && i < count; i++)
        {
            var f = factors[i];
            if (f.Num > f.Denom) continue; // never enlarge while decoding
            var (fw, fh) = ((w * f.Num + f.Denom - 1) / f.Denom, (h * f.Num + f.Denom - 1) / f.Denom);
            if (fw >= minWidth && fh >= minHeight && fw * fh < sw * sh) (sw, sh) = (fw, fh);
        }
        var pixels = new byte[sw * sh * BytesPerPixel(layout)];
        fixed (byte* source = jpeg)
        fixed (byte* destination = pixels)
        {
            if (TurboJpegInterop.tjDecompress2(Decompressor, source, (nuint)jpeg.Length, destination, sw, sw * BytesPerPixel(layout), sh, PixelFormat(layout), 0) != 0)
                throw new JpegException($"JPEG decode failed: {TurboJpegInterop.Error(Decompressor)}");
        }
        return new DecodedImage(pixels, sw, sh, layout);
    }

    private static int Clamp(int quality) => Math.Clamp(quality, 1, 100);

    private static byte[] TakeBuffer(byte* jpeg, nuint size)
    {
        try { return new ReadOnlySpan<byte>(jpeg, checked((int)size)).ToArray(); }
        finally { TurboJpegInterop.tjFree(jpeg); }
    }

    /// <summary>
    /// Sets the JFIF APP0 density to <paramref name="xdpi"/> x <paramref name="ydpi"/> dots per inch in place
    /// (libturbojpeg writes 1:1 aspect, no units). Returns false when the file has no JFIF header.
    /// </summary>
    public static bool SetDensity(Span<byte> jpeg, int xdpi, int ydpi)
    {
        // FFD8 FFE0 len(2) "JFIF\0" version(2) units(1) Xdensity(2) Ydensity(2)
        if (jpeg.Length < 20 || jpeg[2] != 0xFF || jpeg[3] != 0xE0 || !jpeg.Slice(6, 5).SequenceEqual("JFIF\0"u8)) return false;
        jpeg[13] = 1;
        jpeg[14] = (byte)(xdpi >> 8); jpeg[15] = (byte)xdpi;
        jpeg[16] = (byte)(ydpi >> 8); jpeg[17] = (byte)ydpi;
        return true;
    }
}

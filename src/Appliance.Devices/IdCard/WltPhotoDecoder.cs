using System.Runtime.InteropServices;

namespace Appliance.Devices.IdCard;

/// <summary>
/// Decodes the card's WLT-compressed photo through the vendor's decoder library (the board profile's
/// <c>serial.idCard.decoderLibrary</c>, e.g. <c>libwltrs.so</c>), whose export is
/// <c>int unpack(const char *wlt, char *bmp, int saveFile)</c>: 1024 bytes in, a 102x126 24-bit BMP out, 1 on success.
/// WLT is a licensed format: without that library the photo cannot be shown, and the reader says so.
/// </summary>
public sealed unsafe class WltPhotoDecoder : IDisposable
{
    public const int PhotoWidth = 102;
    public const int PhotoHeight = 126;
    private const int RowBytes = (PhotoWidth * 3 + 3) & ~3;
    private const int BmpLength = 54 + RowBytes * PhotoHeight; // 38 862
    private const int OutputSlack = 4096;

    private readonly nint _library;
    private readonly delegate* unmanaged<byte*, byte*, int, int> _unpack;
    private readonly Lock _gate = new();

    private WltPhotoDecoder(nint library, delegate* unmanaged<byte*, byte*, int, int> unpack, string path)
    {
        _library = library;
        _unpack = unpack;
        LibraryPath = path;
    }

    public string LibraryPath { get; }

    /// <summary>Loads the vendor library; null (and why) when the board names none or it cannot be loaded.</summary>
    public static WltPhotoDecoder? TryLoad(string? libraryPath, out string reason)
    {
        if (string.IsNullOrWhiteSpace(libraryPath))
        {
            reason = "照片为 WLT 加密格式，本终端未配置解码库 (board profile serial.idCard.decoderLibrary is not set): the photo cannot be decoded on this board";
            return null;
        }
        if (!NativeLibrary.TryLoad(libraryPath, out var handle))
        {
            reason = $"照片解码库无法加载 (WLT decoder library {libraryPath} could not be loaded): the photo cannot be decoded on this board";
            return null;
        }
        if (!NativeLibrary.TryGetExport(handle, "unpack", out var unpack))
        {
            NativeLibrary.Free(handle);
            reason = $"照片解码库缺少 unpack 函数 (WLT decoder library {libraryPath} has no 'unpack' export)";
            return null;
        }
        reason = "";
        return new WltPhotoDecoder(handle, (delegate* unmanaged<byte*, byte*, int, int>)unpack, libraryPath);
    }

    /// <summary>The photo as a BMP file, or null (and why) when the library rejects the block.</summary>
    public byte[]? Decode(ReadOnlySpan<byte> wlt, out string reason)
    {
        if (wlt.Length == 0)
        {
            reason = "card carries no photo";
            return null;
        }
        var input = new byte[Math.Max(1024, wlt.Length)];
        wlt.CopyTo(input);
        var output = new byte[BmpLength + OutputSlack];
        int rc;
        lock (_gate) // vendor decoders keep static state
        {
            fixed (byte* i = input)
            fixed (byte* o = output)
                rc = _unpack(i, o, 0);
        }
        if (rc != 1)
        {
            reason = $"照片解码失败 (WLT decoder returned {rc})";
            return null;
        }
        reason = "";
        if (output[0] == (byte)'B' && output[1] == (byte)'M') return output.AsSpan(0, BmpLength).ToArray();
        // Some builds write bare BGR rows (bottom-up, padded) without the file header.
        return WithBmpHeader(output.AsSpan(0, RowBytes * PhotoHeight));
    }

    private static byte[] WithBmpHeader(ReadOnlySpan<byte> rows)
    {
        var bmp = new byte[BmpLength];
        var s = bmp.AsSpan();
        s[0] = (byte)'B';
        s[1] = (byte)'M';
        BitConverter.TryWriteBytes(s[2..], BmpLength);
        BitConverter.TryWriteBytes(s[10..], 54);
        BitConverter.TryWriteBytes(s[14..], 40);
        BitConverter.TryWriteBytes(s[18..], PhotoWidth);
        BitConverter.TryWriteBytes(s[22..], PhotoHeight);
        BitConverter.TryWriteBytes(s[26..], (short)1);
        BitConverter.TryWriteBytes(s[28..], (short)24);
        BitConverter.TryWriteBytes(s[34..], rows.Length);
        rows.CopyTo(s[54..]);
        return bmp;
    }

    public void Dispose() => NativeLibrary.Free(_library);
}

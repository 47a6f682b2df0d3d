using Appliance.Core.Screen;
using SkiaSharp;

namespace Appliance.Ui.Images;

/// <summary>Why a picture could not be had: the protocol layers answer each with its own code.</summary>
public enum UiImageFailure
{
    /// <summary>The stored file is gone or cannot be read.</summary>
    Unreadable,
    /// <summary>More than <see cref="ImageLoader.MaxBytes"/>.</summary>
    TooLarge,
    /// <summary>The bytes are no PNG, JPEG, BMP, GIF or WebP.</summary>
    NotAnImage,
}

/// <summary>A picture that could not be loaded or decoded; the message (ours, no path) says why.</summary>
public sealed class UiImageException(string message, UiImageFailure failure = UiImageFailure.NotAnImage, Exception? inner = null) : IOException(message, inner)
{
    public UiImageFailure Failure { get; } = failure;
}

/// <summary>Loads <see cref="UiImageSource"/>s (bytes, or a file the terminal holds) into bitmaps.</summary>
public sealed class ImageLoader(int maxBytes = ImageLoader.DefaultMaxBytes)
{
    /// <summary>Larger pictures are refused rather than exhausting the terminal's memory.</summary>
    public const int DefaultMaxBytes = 32 * 1024 * 1024;

    public int MaxBytes { get; } = maxBytes;

    public async Task<SKBitmap> LoadAsync(UiImageSource source, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> bytes;
        if (source.FilePath is { } path)
        {
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists) throw new UiImageException($"{source} is gone", UiImageFailure.Unreadable);
                if (info.Length > MaxBytes) throw new UiImageException($"{source} is larger than {MaxBytes} bytes", UiImageFailure.TooLarge);
                bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not UiImageException)
            {
                throw new UiImageException($"{source} cannot be read", UiImageFailure.Unreadable, e);
            }
        }
        else
        {
            if (source.Bytes.Length > MaxBytes) throw new UiImageException($"{source} is larger than {MaxBytes} bytes", UiImageFailure.TooLarge);
            bytes = source.Bytes; // decoded from where the request's base64 was decoded to: SKData makes the one copy Skia keeps
        }
        return Decode(bytes.Span, source.ToString());
    }

    public static SKBitmap Decode(ReadOnlySpan<byte> bytes, string what)
    {
        // Through the codec: SKBitmap.Decode(byte[]) throws ArgumentNullException ("codec") when no codec knows the bytes.
        using var data = bytes.Length == 0 ? null : SKData.CreateCopy(bytes);
        using var codec = data is null ? null : SKCodec.Create(data);
        var bitmap = codec is null ? null : SKBitmap.Decode(codec);
        return bitmap ?? throw new UiImageException($"{what} is not a PNG, JPEG, BMP, GIF or WebP image", UiImageFailure.NotAnImage);
    }
}

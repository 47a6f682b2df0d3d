using Appliance.Ui.Options;
using SkiaSharp;

namespace Appliance.Ui.Images;

/// <summary>A picture that could not be loaded or decoded; the message names which and why.</summary>
public sealed class UiImageException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>Loads <see cref="UiImageSource"/>s (file, http URL, bytes) into bitmaps.</summary>
public sealed class ImageLoader(HttpClient? http = null)
{
    /// <summary>Larger pictures are refused rather than exhausting the terminal's memory.</summary>
    public const int MaxBytes = 32 * 1024 * 1024;

    private readonly HttpClient _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(15) };

    public async Task<SKBitmap> LoadAsync(UiImageSource source, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            if (source.FilePath is { } path)
            {
                var info = new FileInfo(path);
                if (!info.Exists) throw new UiImageException($"image file {path} does not exist");
                if (info.Length > MaxBytes) throw new UiImageException($"image file {path} is larger than {MaxBytes} bytes");
                bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            }
            else if (source.Url is { } url)
            {
                using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode) throw new UiImageException($"image {url} answered HTTP {(int)response.StatusCode}");
                if (response.Content.Headers.ContentLength > MaxBytes) throw new UiImageException($"image {url} is larger than {MaxBytes} bytes");
                bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                bytes = source.Bytes.ToArray();
            }
        }
        catch (HttpRequestException e)
        {
            throw new UiImageException($"image {source}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UiImageException($"image {source}: timed out", e);
        }
        catch (IOException e) when (e is not UiImageException)
        {
            throw new UiImageException($"image {source}: {e.Message}", e);
        }
        return Decode(bytes, source.ToString());
    }

    public static SKBitmap Decode(byte[] bytes, string what)
    {
        var bitmap = bytes.Length == 0 ? null : SKBitmap.Decode(bytes);
        return bitmap ?? throw new UiImageException($"{what} is not a PNG, JPEG, BMP, GIF or WebP image");
    }
}

using Appliance.Core.Screen;
using SkiaSharp;

namespace Appliance.Ui.Images;

/// <summary>Why a picture could not be had: the protocol layers answer each with its own code.</summary>
public enum UiImageFailure
{
    /// <summary>The file does not exist or cannot be read.</summary>
    Unreadable,
    /// <summary>The URL's server could not be reached, or answered with an HTTP error.</summary>
    Unreachable,
    /// <summary>The download did not finish within <see cref="ImageLoader.Timeout"/>.</summary>
    TimedOut,
    /// <summary>More than <see cref="ImageLoader.MaxBytes"/>.</summary>
    TooLarge,
    /// <summary>The bytes are no PNG, JPEG, BMP, GIF or WebP.</summary>
    NotAnImage,
}

/// <summary>A picture that could not be loaded or decoded; the message names which and why.</summary>
public sealed class UiImageException(string message, UiImageFailure failure = UiImageFailure.NotAnImage, Exception? inner = null) : IOException(message, inner)
{
    public UiImageFailure Failure { get; } = failure;
}

/// <summary>Loads <see cref="UiImageSource"/>s (file, http URL, bytes) into bitmaps.</summary>
public sealed class ImageLoader(HttpClient? http = null, TimeSpan? timeout = null, int maxBytes = ImageLoader.DefaultMaxBytes)
{
    /// <summary>Larger pictures are refused rather than exhausting the terminal's memory.</summary>
    public const int DefaultMaxBytes = 32 * 1024 * 1024;

    // No HttpClient timeout of its own: the whole download (headers and body) runs under Timeout below.
    private readonly HttpClient _http = http ?? new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    /// <summary>A URL's download, headers to last byte, must finish within this; a stalled server must not hold a window up.</summary>
    public TimeSpan Timeout { get; } = timeout ?? TimeSpan.FromSeconds(15);

    public int MaxBytes { get; } = maxBytes;

    public async Task<SKBitmap> LoadAsync(UiImageSource source, CancellationToken cancellationToken)
    {
        byte[] bytes;
        if (source.FilePath is { } path)
        {
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists) throw new UiImageException($"image file {path} does not exist", UiImageFailure.Unreadable);
                if (info.Length > MaxBytes) throw new UiImageException($"image file {path} is larger than {MaxBytes} bytes", UiImageFailure.TooLarge);
                bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not UiImageException)
            {
                throw new UiImageException($"image {source}: {e.Message}", UiImageFailure.Unreadable, e);
            }
        }
        else if (source.Url is { } url)
        {
            bytes = await DownloadAsync(url, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            bytes = source.Bytes.ToArray();
        }
        return Decode(bytes, source.ToString());
    }

    private async Task<byte[]> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new UiImageException($"image {url} answered HTTP {(int)response.StatusCode}", UiImageFailure.Unreachable);
            if (response.Content.Headers.ContentLength > MaxBytes) throw TooLarge(url);
            // A server that sends no length (chunked) is cut off at the limit instead of trusted.
            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int n;
            while ((n = await body.ReadAsync(chunk, deadline.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > MaxBytes) throw TooLarge(url);
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }
        catch (HttpRequestException e)
        {
            throw new UiImageException($"image {url}: {e.Message}", UiImageFailure.Unreachable, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UiImageException($"image {url}: no complete answer within {Timeout.TotalSeconds:0.#} s", UiImageFailure.TimedOut, e);
        }
        catch (IOException e) when (e is not UiImageException)
        {
            throw new UiImageException($"image {url}: {e.Message}", UiImageFailure.Unreachable, e);
        }
    }

    private UiImageException TooLarge(Uri url) => new($"image {url} is larger than {MaxBytes} bytes", UiImageFailure.TooLarge);

    public static SKBitmap Decode(byte[] bytes, string what)
    {
        // Through the codec: SKBitmap.Decode(byte[]) throws ArgumentNullException ("codec") when no codec knows the bytes.
        using var data = bytes.Length == 0 ? null : SKData.CreateCopy(bytes);
        using var codec = data is null ? null : SKCodec.Create(data);
        var bitmap = codec is null ? null : SKBitmap.Decode(codec);
        return bitmap ?? throw new UiImageException($"{what} is not a PNG, JPEG, BMP, GIF or WebP image", UiImageFailure.NotAnImage);
    }
}

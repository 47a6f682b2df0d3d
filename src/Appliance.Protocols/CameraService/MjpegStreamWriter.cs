using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Appliance.Protocols.CameraService;

/// <summary>
/// A <c>multipart/x-mixed-replace</c> MJPEG response for an &lt;img&gt; (<c>video=stream</c>, <c>sign=stream</c>): each
/// part a JPEG with its type, length and <see cref="StreamParts"/> headers, flushed at once; the last part a picture
/// saying why the stream ended (<c>X-Stream-End</c>), then the closing boundary.
/// </summary>
internal sealed class MjpegStreamWriter
{
    private static readonly byte[] PartEnd = "\r\n"u8.ToArray();

    private readonly HttpResponse _response;
    private readonly string _boundary;

    private MjpegStreamWriter(HttpResponse response, string boundary) => (_response, _boundary) = (response, boundary);

    /// <summary>Answers 200 with the multipart type, forbids caching, and sends every part as soon as it is written.</summary>
    public static MjpegStreamWriter Start(HttpContext context, string boundary)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = $"multipart/x-mixed-replace; boundary={boundary}";
        response.Headers.CacheControl = "no-cache, no-store, must-revalidate";
        response.Headers.Pragma = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return new MjpegStreamWriter(response, boundary);
    }

    /// <summary>One picture, stamped with when it was taken (<c>X-Timestamp</c>).</summary>
    public Task WriteFrameAsync(byte[] jpeg, DateTimeOffset capturedAt, CancellationToken ct) => WritePartAsync(jpeg, StreamParts.Timestamp(capturedAt), ct);

    /// <summary>The last part, <paramref name="notice"/> with <c>X-Stream-End: reason</c>, then the closing boundary.</summary>
    public async Task EndAsync(byte[] notice, string reason, CancellationToken ct)
    {
        await WritePartAsync(notice, StreamParts.End(reason), ct).ConfigureAwait(false);
        await _response.Body.WriteAsync(Encoding.ASCII.GetBytes($"--{_boundary}--\r\n"), ct).ConfigureAwait(false);
        await _response.Body.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <param name="extraHeaders"><see cref="StreamParts"/> headers, each with its CRLF.</param>
    private async Task WritePartAsync(byte[] jpeg, string extraHeaders, CancellationToken ct)
    {
        var header = Encoding.ASCII.GetBytes($"--{_boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: {jpeg.Length}\r\n{extraHeaders}\r\n");
        await _response.Body.WriteAsync(header, ct).ConfigureAwait(false);
        await _response.Body.WriteAsync(jpeg, ct).ConfigureAwait(false);
        await _response.Body.WriteAsync(PartEnd, ct).ConfigureAwait(false);
        await _response.Body.FlushAsync(ct).ConfigureAwait(false);
    }
}

using System.Globalization;

namespace Appliance.Protocols.CameraService;

/// <summary>What the two MJPEG streams (<c>video=stream</c>, <c>sign=stream</c>) put in a part's headers besides type and length; <see cref="MjpegStreamWriter"/> writes the parts.</summary>
internal static class StreamParts
{
    /// <summary>
    /// <c>X-Timestamp: seconds.microseconds</c> since the Unix epoch (mjpg-streamer's header) with its CRLF, or nothing:
    /// when the picture was taken, so a viewer (and the tests) can see the spacing <c>param=set framerate</c> asked for.
    /// </summary>
    public static string Timestamp(DateTimeOffset? at)
    {
        if (at is not { } t) return "";
        var micros = (t - DateTimeOffset.UnixEpoch).Ticks / 10;
        return string.Create(CultureInfo.InvariantCulture, $"X-Timestamp: {micros / 1_000_000}.{micros % 1_000_000:D6}\r\n");
    }

    /// <summary>
    /// <c>X-Stream-End: closed | removed | failed | not-connected | shutdown</c> with its CRLF, on the last part only: why the
    /// stream ended, for a page that reads parts itself (an &lt;img&gt; shows the picture saying the same).
    /// </summary>
    public static string End(string reason) => $"X-Stream-End: {reason}\r\n";
}

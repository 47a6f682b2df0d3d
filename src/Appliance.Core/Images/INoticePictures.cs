namespace Appliance.Core.Images;

/// <summary>
/// The picture a video stream ends with ("设备被移除", "设备被关闭", …): what an &lt;img&gt; keeps showing once the
/// multipart stream is over, so the person sees why the video stopped. Drawn in the board's CJK font.
/// </summary>
public interface INoticePictures
{
    /// <summary>A JPEG of <paramref name="width"/> × <paramref name="height"/> (clamped to 64×48 .. 4096×4096) saying <paramref name="text"/>.</summary>
    byte[] Render(string text, int width, int height);
}

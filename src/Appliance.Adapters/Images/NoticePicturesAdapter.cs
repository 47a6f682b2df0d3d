using Appliance.Core.Images;
using Appliance.Imaging.Capture;

namespace Appliance.Adapters.Images;

/// <summary>Binds <see cref="INoticePictures"/> to Imaging's <see cref="NoticeFrame"/>, in the typeface the photo processor stamps watermarks with.</summary>
public sealed class NoticePicturesAdapter(CaptureProcessor processor) : INoticePictures
{
    public byte[] Render(string text, int width, int height) => ImagingErrors.Guard(() => NoticeFrame.Render(text, width, height, processor.Typeface));
}

using Appliance.Adapters.Images;
using Appliance.Core.Board;
using Appliance.Core.Images;
using Appliance.Imaging.Capture;

namespace Appliance.Host.Composition;

/// <summary>The image-work ports (Core.Images) the protocols use, bound to Imaging; text is drawn in the board's CJK font.</summary>
internal static class ImageWorkFeature
{
    public static IServiceCollection AddImageWork(this IServiceCollection services, BoardProfile board)
    {
        var processor = new CaptureProcessor(board.Fonts.Cjk);
        services.AddSingleton<IPhotoProcessor>(new PhotoProcessorAdapter(processor));
        services.AddSingleton<INoticePictures>(new NoticePicturesAdapter(processor));
        services.AddSingleton<IJpegResizer>(new JpegResizerAdapter());
        services.AddSingleton<IJpegEncoder>(new JpegEncoderAdapter());
        return services;
    }
}

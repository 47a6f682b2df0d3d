using System.Text.Json;
using Appliance.Core.Capture;
using Appliance.Core.Images;
using Appliance.Protocols.CameraService.Pictures;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.CameraService.Video;

public sealed partial class VideoGroup
{
    /// <summary>
    /// §3.3 <c>video=grabimage</c> (also WebSocket <c>grab_image</c>). With <c>image_process_info</c> present it is
    /// the v1.5 form (<c>images[]</c>); without it, the v1.0 appendix form (<c>photoBase64</c>, <c>uuid</c>, <c>thumbnail</c>).
    /// </summary>
    private async ValueTask<CameraServiceAnswer> GrabImageAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var camera = Camera(request);
        var v15 = request.Has("image_process_info");
        var processing = v15 ? ReadV15Options(request) : ReadV10Options(request);
        CameraPicture frame;
        try
        {
            frame = await camera.GrabAsync(ct).ConfigureAwait(false);
        }
        catch (CaptureException e)
        {
            throw Answer(e);
        }
        var wantFile = v15 ? request.String("make_uuid")?.Trim() == "1" : (request.String("filepath") ?? "") != "base64";
        var result = photos.Process(frame.Jpeg, processing, withThumbnail: !v15 && wantFile);
        string? uuid = null, path = null;
        if (wantFile)
        {
            uuid = Guid.NewGuid().ToString("N");
            var requested = v15 ? "" : request.String("filepath") ?? "";
            // A caller may name the file, never the folder: the picture stays in this page's space, and the answer names
            // it as the page sees it (/images/{name}), never by its path on the terminal.
            var name = requested.Length > 0 ? Path.GetFileName(requested.Replace('\\', '/')) : uuid + ".jpg";
            if (name.Length == 0) name = uuid + ".jpg";
            // Linux names are at most 255 bytes (NAME_MAX): a longer one is the caller's mistake, not an internal error.
            if (System.Text.Encoding.UTF8.GetByteCount(name) > 255)
                throw new CameraServiceException(ErrorCode.BadRequest, "filepath 的文件名超过 255 字节 / filepath: the file name is longer than 255 bytes");
            if (!PageImageStore.IsFileName(name))
                throw new CameraServiceException(ErrorCode.BadRequest, "filepath 的文件名无效 / filepath: not a usable file name");
            path = await images.SaveAsync(request.Page, name, result.Jpeg, ct, request.Session).ConfigureAwait(false);
            if (requested.Length > 0) uuid = "";
        }
        // Written as base64 straight from the JPEG bytes: no UTF-16 string of 2.7 × the image per grab.
        var jpeg = result.Jpeg;
        if (v15)
            return CameraServiceAnswer.Ok(w =>
            {
                w.WriteNumber("image_count", 1);
                w.WriteStartArray("images");
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                if (path is not null)
                {
                    w.WriteString("filepath", path);
                    w.WriteString("uuid", uuid);
                }
                w.WriteBase64String("base64", jpeg);
                w.WriteEndObject();
                w.WriteEndArray();
            });
        return CameraServiceAnswer.Ok(w =>
        {
            if (path is not null)
            {
                w.WriteString("uuid", uuid);
                w.WriteString("filepath", path);
            }
            w.WriteBase64String("photoBase64", jpeg);
            if (result.Thumbnail is not null) w.WriteBase64String("thumbnail", result.Thumbnail);
        });
    }

    private static PhotoProcessing ReadV15Options(CameraServiceRequest request)
    {
        var process = request.Object("image_process_info");
        var storage = request.Object("image_storage_info");
        return new PhotoProcessing
        {
            Rotate = Rotation(CameraServiceRequest.MemberInt(process, "rotate", 0)),
            Color = Color(CameraServiceRequest.MemberInt(process, "color_type", 0)),
            JpegQuality = Quality(CameraServiceRequest.MemberInt(storage, "jpg_quality", 75)),
            XDpi = Dpi(CameraServiceRequest.MemberInt(storage, "xdpi", 200)),
            YDpi = Dpi(CameraServiceRequest.MemberInt(storage, "ydpi", CameraServiceRequest.MemberInt(storage, "xdpi", 200))),
            MaxFileSize = Math.Max(0, CameraServiceRequest.MemberInt(storage, "max_file_size", 0)),
            Watermark = ReadWatermark(request.Object("watermark")),
        };
    }

    private static PhotoProcessing ReadV10Options(CameraServiceRequest request) => new()
    {
        Rotate = Rotation(request.Int("rotate", 0)),
        JpegQuality = Quality(request.Int("jquality", 35)),
        XDpi = Dpi(request.Int("xdpi", 200)),
        YDpi = Dpi(request.Int("ydpi", request.Int("xdpi", 200))),
        MaxFileSize = Math.Max(0, request.Int("max_file_size", 0)),
        Watermark = ReadWatermark(request.Object("watermark")),
    };

    private static PhotoWatermark? ReadWatermark(JsonElement? mark) => mark is null ? null : new PhotoWatermark(
        CameraServiceRequest.Member(mark, "content") ?? "",
        (WatermarkPosition)Math.Clamp(CameraServiceRequest.MemberInt(mark, "pos", 4), 0, 4),
        CameraServiceRequest.MemberInt(mark, "transparency", 255),
        CameraServiceRequest.MemberInt(mark, "fontsize", 32),
        CameraServiceRequest.Member(mark, "color") ?? "red");

    private static int Rotation(int degrees) => degrees % 90 == 0 ? degrees
        : throw new CameraServiceException(ErrorCode.BadRequest, $"rotate 必须为 90 的倍数 / rotate must be a multiple of 90, got {degrees}");

    private static PhotoColor Color(int type) => type is >= 0 and <= 2 ? (PhotoColor)type
        : throw new CameraServiceException(ErrorCode.BadRequest, $"color_type 取值 0/1/2 / color_type must be 0, 1 or 2, got {type}");

    private static int Quality(int quality) => quality is >= 10 and <= 100 ? quality
        : throw new CameraServiceException(ErrorCode.BadRequest, $"jpg_quality 取值 10-100 / JPEG quality must be 10..100, got {quality}");

    private static int Dpi(int dpi) => dpi is > 0 and <= 65535 ? dpi
        : throw new CameraServiceException(ErrorCode.BadRequest, $"dpi 取值 1-65535 / dpi must be 1..65535, got {dpi}");
}

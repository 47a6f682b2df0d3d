namespace Appliance.Protocols.CameraService.Video;

/// <summary>
/// The images <c>video=grabimage</c> saved with <c>make_uuid</c> (seed 003 §3.3): <c>{uuid}.jpg</c> in the terminal's
/// image directory. Other calls name them by uuid in a <c>source_image</c> (e.g. §9.1 <c>background_image</c>).
/// </summary>
public sealed class CapturedImageStore(string directory)
{
    /// <summary>The stored file for <paramref name="uuid"/>, or null when no grab made it.</summary>
    public string? Find(string uuid)
    {
        // Only a uuid names a file: nothing the caller writes can reach outside the image directory.
        if (!Guid.TryParse(uuid.Trim(), out var id)) return null;
        var path = Path.Combine(directory, id.ToString("N") + ".jpg");
        return File.Exists(path) ? path : null;
    }
}

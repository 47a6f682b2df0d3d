using System.Text.Json;
using Appliance.Core.Screen;
using Appliance.Protocols.Security;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.CameraService.Pictures;

/// <summary>
/// Turns what a page names as a picture (seed 003 <c>piclist</c> entries, <c>source_image</c> objects, button icons) into
/// something the screen may draw (docs/PROTOCOLS.md "Pictures a page names"):
/// <list type="bullet">
/// <item>base64 (or a <c>data:</c> URL): the bytes, as real pages mostly send;</item>
/// <item>a uuid or <c>/images/{name}</c> from this page's own grab: that picture, while it lives;</item>
/// <item>an http(s) URL on an allowed host (<c>access:imageHosts</c>, plus the host of the page's Origin): downloaded by
/// <see cref="PictureFetcher"/>;</item>
/// <item>any other path is a file on the PC, which the terminal cannot read: one answer, whether or not the terminal has
/// a file of that name, so no page can learn what the terminal holds.</item>
/// </list>
/// </summary>
public sealed class PagePictures(PageImageStore store, PictureFetcher fetcher, AccessOptions access)
{
    /// <summary>The answer to any file path: the same bytes whether the terminal has such a file or not.</summary>
    internal const string PathRefused = "不能读取电脑上的文件路径，请发送 base64 或 uuid / a file path names a file on the PC, which the terminal cannot read: send the picture as base64 or a uuid";

    internal const string HostRefused = "图片地址不在允许范围内 / the terminal may not fetch pictures from this address (access:imageHosts)";

    /// <summary>A picture given as text (a <c>piclist</c> entry, a path or URL member of a <c>source_image</c>).</summary>
    public async ValueTask<UiImageSource> ResolveAsync(string text, string field, PageIdentity page, CancellationToken ct)
    {
        var s = text.Trim();
        if (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return UiImageSource.FromBytes(await FetchAsync(s, field, page, ct).ConfigureAwait(false));
        if (s.StartsWith(PageImageStore.PagePrefix, StringComparison.Ordinal) || (s.Length is 32 or 36 && Guid.TryParse(s, out _)))
            return Held(s, field, page);
        if (IsPath(s)) throw new CameraServiceException(ErrorCode.BadRequest, $"{field}: {PathRefused}");
        var comma = s.StartsWith("data:", StringComparison.OrdinalIgnoreCase) ? s.IndexOf(',') : -1;
        var b64 = comma >= 0 ? s[(comma + 1)..] : s;
        b64 = string.Concat(b64.Where(c => !char.IsWhiteSpace(c)));
        var buffer = new byte[b64.Length * 3 / 4 + 3];
        if (b64.Length > 0 && Convert.TryFromBase64String(b64, buffer, out var n)) return UiImageSource.FromBytes(buffer.AsMemory(0, n));
        throw new CameraServiceException(ErrorCode.BadRequest, $"{field}: 不是 base64 图片、uuid 或 http 地址 / is neither base64 image data, a uuid nor an http(s) URL");
    }

    /// <summary>A <c>source_image</c> object: <c>uuid</c>, <c>base64</c>, or a path/URL member read as <see cref="ResolveAsync(string,string,PageIdentity,CancellationToken)"/>.</summary>
    public ValueTask<UiImageSource> ResolveAsync(JsonElement obj, string field, PageIdentity page, CancellationToken ct)
    {
        // A uuid names an image grabbed with make_uuid (never base64 of one, though 32 hex digits would decode).
        if (CameraServiceRequest.Member(obj, "uuid") is { Length: > 0 } uuid) return ValueTask.FromResult(Held(uuid, $"{field}.uuid", page));
        foreach (var key in new[] { "base64", "image_base64", "filepath", "file_path", "image_path", "path", "url" })
            if (CameraServiceRequest.Member(obj, key) is { Length: > 0 } text) return ResolveAsync(text, $"{field}.{key}", page, ct);
        throw new CameraServiceException(ErrorCode.BadRequest, $"{field}: 需要 base64 或 uuid / needs base64 or a uuid (or an http URL of an allowed host)");
    }

    private UiImageSource Held(string reference, string field, PageIdentity page) =>
        store.Find(page, reference) is { } file ? UiImageSource.FromFile(file)
            : throw new CameraServiceException(ErrorCode.BadRequest, $"{field}: 此页面没有这张图片（可能已过期）/ this page holds no picture \"{reference}\" (it may have expired)");

    private async Task<byte[]> FetchAsync(string text, string field, PageIdentity page, CancellationToken ct)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
            throw new CameraServiceException(ErrorCode.BadRequest, $"{field}: 不是有效的地址 / is not a valid URL");
        var allowed = new HashSet<string>(access.ImageHosts.Select(h => h.Trim().TrimEnd('.').Trim('[', ']').ToLowerInvariant()), StringComparer.Ordinal);
        if (page.OriginHost is { } own) allowed.Add(own);
        try
        {
            return await fetcher.FetchAsync(url, allowed.Contains, ct).ConfigureAwait(false);
        }
        catch (FetchException e)
        {
            throw e.Failure switch
            {
                FetchFailure.NotAllowed => new CameraServiceException(ErrorCode.NotPermitted, $"{field}: {HostRefused}"),
                FetchFailure.TimedOut => new CameraServiceException(ErrorCode.TimedOut, $"{field}: 图片下载超时 / the picture's download timed out: {e.Message}"),
                FetchFailure.TooLarge => new CameraServiceException(ErrorCode.TooLarge, $"{field}: 图片过大 / the picture is too large: {e.Message}"),
                _ => new CameraServiceException(ErrorCode.BadRequest, $"{field}: 图片地址无法访问 / the picture's URL could not be fetched: {e.Message}"),
            };
        }
    }

    /// <summary>A path on some machine: <c>/x</c>, <c>C:/x</c>, <c>C:\x</c>, <c>\\server\x</c>, <c>file:</c>, or a relative <c>x.jpg</c>.</summary>
    private static bool IsPath(string s) =>
        s.StartsWith('/') || s.StartsWith('\\') || s.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
        || (s.Length > 1 && char.IsAsciiLetter(s[0]) && s[1] == ':')
        || (s.Length < 260 && s.Contains('.') && (s.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || s.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
            || s.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase) || s.EndsWith(".bmp", StringComparison.OrdinalIgnoreCase) || s.EndsWith(".gif", StringComparison.OrdinalIgnoreCase)));
}

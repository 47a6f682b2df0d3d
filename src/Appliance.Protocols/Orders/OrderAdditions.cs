using System.Globalization;
using Appliance.Core.Orders;

namespace Appliance.Protocols.Orders;

/// <summary>
/// The order-level parameters every shape accepts beyond its seed (docs/PROTOCOLS.md "Signing orders", additions):
/// where the result is pushed, the receiver's certificate pin, how long the order may wait and whether it starts itself.
/// </summary>
public sealed record OrderAdditions(string CallbackUrl, string CallbackPin, TimeSpan? ValidFor, bool AutoStart)
{
    /// <param name="urlName">The shape's name for the callback (<c>callbackUrl</c>; seed 004 <c>callBackUrl</c>, the same once read tolerantly).</param>
    /// <param name="expiryName">The shape's name for the validity in minutes (<c>expiryMinutes</c>; seed 004 <c>expiryDate</c>).</param>
    public static OrderAdditions Read(OrderFields f, string urlName = "callbackUrl", string expiryName = "expiryMinutes")
    {
        var url = f.Text(urlName).Trim();
        if (url.Length > 0 && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0))
            throw f.Bad(urlName, $"expected an absolute https:// URL, found \"{Clip(url)}\"");
        if (url.Length > 2048) throw f.Bad(urlName, "longer than 2048 characters");
        var pin = f.Text("callbackPin").Trim().ToLowerInvariant();
        if (pin.Length > 0 && !(pin.Length == 64 && pin.All(Uri.IsHexDigit)))
            throw f.Bad("callbackPin", "expected the SHA-256 (64 hex digits) of the receiver's certificate");
        TimeSpan? validFor = null;
        if (f.Integer(expiryName) is { } minutes)
        {
            var max = (long)OrderLimits.MaxValidity.TotalMinutes;
            if (minutes < 1 || minutes > max)
                throw f.Bad(expiryName, $"expected 1..{max.ToString(CultureInfo.InvariantCulture)} minutes, found {minutes.ToString(CultureInfo.InvariantCulture)}");
            validFor = TimeSpan.FromMinutes(minutes);
        }
        return new OrderAdditions(url, pin, validFor, f.Flag("autoStart") ?? true);
    }

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";
}

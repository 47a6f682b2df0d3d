using System.Net;
using System.Net.NetworkInformation;

namespace Appliance.Discovery;

/// <summary>Where the terminal advertises itself, given the address its ports are bound to.</summary>
public static class AdvertisedInterfaces
{
    /// <summary>
    /// Bound to every address (<c>*</c>): the configured interfaces (or all). Bound to one address: the interface that
    /// holds it; loopback or no such interface: null (nothing to advertise, nothing sent on the LAN).
    /// </summary>
    public static List<string>? For(string bind, List<string> configured)
    {
        if (bind == "*") return configured;
        var address = IPAddress.Parse(bind);
        if (IPAddress.IsLoopback(address)) return null;
        try
        {
            var holder = NetworkInterface.GetAllNetworkInterfaces()
                .FirstOrDefault(n => n.GetIPProperties().UnicastAddresses.Any(a => a.Address.Equals(address)));
            return holder is null ? null : [holder.Name];
        }
        catch (NetworkInformationException) { return null; }
    }
}

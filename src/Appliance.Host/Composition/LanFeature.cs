using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using Appliance.Core.Audit;
using Appliance.Core.Board;
using Appliance.Core.Identity;
using Appliance.Core.Pairing;
using Appliance.Core.Session;
using Appliance.Discovery;
using Appliance.Discovery.Mdns;
using Appliance.Host.Configuration;
using Appliance.Protocols.Admin;
using Appliance.Protocols.Hosting;
using Appliance.Protocols.Security;
using Appliance.Protocols.Security.Management;
using Appliance.Protocols.Security.Tls;

namespace Appliance.Host.Composition;

/// <summary>
/// The terminal on the LAN: mDNS/DNS-SD discovery (its TXT <c>state</c> following the session), pairing and the
/// terminal's pairing screens, the access gate (paired PCs, Origin, Host), TLS on the same ports, signed management
/// calls and the audit log. Config sections:
/// <c>discovery</c>, <c>access</c>, <c>tls</c>, <c>pairing</c>.
/// </summary>
internal static class LanFeature
{
    public static WebApplicationBuilder AddLanFeature(this WebApplicationBuilder builder, ApplianceOptions options, BoardProfile board, TerminalIdentity identity)
    {
        var cfg = builder.Configuration;
        var access = new AccessOptions();
        var tls = new TlsOptions();
        var pairingOptions = new PairingOptions();
        var discovery = new DiscoveryOptions();
        // One call per type: the configuration binder's source generator (AOT) cannot follow a generic helper.
        ApplianceConfiguration.Bind(() => cfg.GetSection(AccessOptions.Section).Bind(access));
        ApplianceConfiguration.Bind(() => cfg.GetSection(TlsOptions.Section).Bind(tls));
        ApplianceConfiguration.Bind(() => cfg.GetSection(PairingOptions.Section).Bind(pairingOptions));
        ApplianceConfiguration.Bind(() => cfg.GetSection(DiscoveryOptions.Section).Bind(discovery));
        foreach (var problem in new[] { access.Validate(), tls.Validate(), pairingOptions.Validate(), discovery.Validate() })
            if (problem is not null) throw ConfigurationException.FromProblem(problem);
        var mode = tls.ParsedMode;

        var hostLabel = TerminalAdvertiser.HostLabel(discovery.HostName.Length > 0 ? discovery.HostName : "signterm-" + identity.Serial);
        var certificate = new DeviceCertificate(options.StateDir, identity.Name, [hostLabel + ".local"]);
        var hostPolicy = new HostHeaderPolicy(access);
        hostPolicy.SetOwnNames([hostLabel + ".local"]);

        var services = builder.Services;
        services.AddSingleton(access);
        services.AddSingleton(tls);
        services.AddSingleton(pairingOptions);
        services.AddSingleton(certificate);
        services.AddSingleton(hostPolicy);
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton(new PairingStore(options.StateDir));
        services.AddSingleton<PairingService>();
        services.AddSingleton(new AuditLog(options.StateDir));
        services.AddSingleton(sp => new ReplayGuard(sp.GetRequiredService<TimeProvider>(), TimeSpan.FromMinutes(5)));
        services.AddSingleton<IRequestGate, AccessGate>();
        services.AddSingleton<IAdminRoutes, ManagementEndpoints>();
        services.AddHostedService<HomeScreenService>();

        var interfaces = AdvertisedInterfaces(options.Bind, discovery.Interfaces);
        if (discovery.Enabled && interfaces is not null)
        {
            var responderOptions = new MdnsResponderOptions
            {
                HostName = hostLabel,
                InstanceName = discovery.InstanceName.Length > 0 ? discovery.InstanceName : identity.Name,
                Interfaces = interfaces,
            };
            var advertiser = new TerminalAdvertiser(responderOptions,
                () => (ushort)options.Ports.Uos, () => (ushort)options.Ports.Admin,
                () => TxtRecord(options, board, identity, mode, certificate));
            advertiser.Responder.Renamed += (_, host) => hostPolicy.SetOwnNames([host]);
            certificate.Changed += advertiser.Refresh;
            services.AddSingleton(advertiser);
            services.AddHostedService<DiscoveryService>();
        }

        if (mode != TlsMode.Http)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(listen => TlsSniffing.Configure(listen, mode, certificate)));
        }
        return builder;
    }

    /// <summary>TXT of <c>_signterm._tcp</c>: short keys mirroring the live terminal (RFC 6763 §6).</summary>
    private static List<KeyValuePair<string, string>> TxtRecord(ApplianceOptions options, BoardProfile board, TerminalIdentity identity, TlsMode mode, DeviceCertificate certificate)
    {
        var txt = new List<KeyValuePair<string, string>>
        {
            new("txtvers", "1"),
            new("model", board.Model),
            new("serial", identity.Serial),
            new("fw", ApplianceHost.Version),
            new("uuid", identity.Uuid.ToString()),
            new("uos", options.Ports.Uos.ToString(CultureInfo.InvariantCulture)),
            new("cam", options.Ports.CameraService.ToString(CultureInfo.InvariantCulture)),
            new("adm", options.Ports.Admin.ToString(CultureInfo.InvariantCulture)),
            new("tls", mode switch { TlsMode.Http => "http", TlsMode.Https => "https", _ => "both" }),
        };
        if (mode != TlsMode.Http) txt.Add(new("fp", certificate.Fingerprint));
        return txt;
    }

    /// <summary>
    /// Bound to every address: the configured interfaces (or all). Bound to one address: the interface that
    /// holds it; loopback or no such interface: null (nothing to advertise, nothing sent on the LAN).
    /// </summary>
    private static List<string>? AdvertisedInterfaces(string bind, List<string> configured)
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

/// <summary>Runs the mDNS responder for the host's lifetime, its TXT <c>state</c> following the session; goodbyes go out on stop.</summary>
internal sealed class DiscoveryService(TerminalAdvertiser advertiser, TerminalSession session, ILogger<DiscoveryService> logger) : IHostedService
{
    private IDisposable? _following;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        advertiser.Responder.LogSink = message => logger.LogInformation("mDNS: {Message}", message);
        _following = advertiser.Follow(session);
        try
        {
            advertiser.Start();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            // The terminal still serves its ports; it is just not discoverable.
            logger.LogError("mDNS responder could not start: {Message}", e.Message);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _following?.Dispose();
        return advertiser.StopAsync();
    }
}

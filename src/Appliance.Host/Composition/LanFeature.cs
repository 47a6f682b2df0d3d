using Appliance.Adapters.Screen;
using Appliance.Core.Audit;
using Appliance.Core.Board;
using Appliance.Core.Identity;
using Appliance.Core.Pairing;
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

        var hostLabel = discovery.HostLabelFor(identity.Serial);
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
        services.AddSingleton<SignedCallAuthenticator>();
        services.AddSingleton<IRequestGate, AccessGate>();
        services.AddSingleton<IAdminRoutes, ManagementEndpoints>();
        services.AddHostedService<HomeScreenService>();

        var interfaces = AdvertisedInterfaces.For(options.Bind, discovery.Interfaces);
        if (discovery.Enabled && interfaces is not null)
        {
            var responderOptions = new MdnsResponderOptions
            {
                HostName = hostLabel,
                InstanceName = discovery.InstanceNameOr(identity.Name),
                Interfaces = interfaces,
            };
            var txt = new TerminalTxt(board.Model, identity.Serial, ApplianceHost.Version, identity.Uuid,
                options.Ports.Uos, options.Ports.CameraService, options.Ports.Admin, mode.Name());
            var advertiser = new TerminalAdvertiser(responderOptions,
                () => (ushort)options.Ports.Uos, () => (ushort)options.Ports.Admin, () => txt.Pairs(() => certificate.Fingerprint));
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
}

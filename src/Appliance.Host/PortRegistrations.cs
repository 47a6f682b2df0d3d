using Appliance.Adapters.Images;
using Appliance.Core.Images;
using Appliance.Core.Session;
using Appliance.Protocols.Admin;
using Appliance.Protocols.CameraService;
using Appliance.Protocols.Hosting;
using Appliance.Protocols.Shell;
using Appliance.Protocols.Uos;

namespace Appliance.Host;

/// <summary>What each port serves. A feature that adds endpoints registers them here.</summary>
internal static class PortRegistrations
{
    public static IServiceCollection AddAdminPort(this IServiceCollection services)
    {
        services.AddSingleton<IAdminRoutes, HealthEndpoints>();
        services.AddSingleton<IPortApplication, AdminPort>();
        return services;
    }

    public static IServiceCollection AddUosPort(this IServiceCollection services)
    {
        services.AddSingleton<ISignatureComposer, SignatureComposerAdapter>();
        services.AddSingleton<UosCommands>();
        services.AddSingleton<IPortApplication, UosPort>();
        return services;
    }

    public static IServiceCollection AddCameraServicePort(this IServiceCollection services)
    {
        // Its WebSockets, closed "going away" at shutdown by the session lifetime (as UOS's are through its delivery).
        services.AddSingleton<OpenSockets>();
        services.AddSingleton<IResultDelivery>(sp => sp.GetRequiredService<OpenSockets>());
        services.AddSingleton<IPortApplication, CameraServicePort>();
        return services;
    }
}

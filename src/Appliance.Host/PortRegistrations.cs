using Appliance.Adapters.Images;
using Appliance.Core.Images;
using Appliance.Protocols.Admin;
using Appliance.Protocols.CameraService;
using Appliance.Protocols.Hosting;
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
        services.AddSingleton<IPortApplication, CameraServicePort>();
        return services;
    }
}

using Appliance.Core.Storage;
using Appliance.Host.Configuration;
using Microsoft.Extensions.Configuration;
using Appliance.Protocols.CameraService;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.Protocols.CameraService.Card;
using Appliance.Protocols.CameraService.Fingerprint;
using Appliance.Protocols.CameraService.Param;
using Appliance.Protocols.CameraService.Pictures;
using Appliance.Protocols.CameraService.Scanner;
using Appliance.Protocols.CameraService.Sign;
using Appliance.Protocols.CameraService.Video;

namespace Appliance.Host.Composition;

/// <summary>The CameraService groups that are not a device's own: <c>sign=</c> (screen + session) and <c>param=</c>.</summary>
internal static class CameraServiceFeature
{
    public static IServiceCollection AddCameraServiceGroups(this IServiceCollection services, IConfiguration configuration, string stateDir)
    {
        var cache = new CacheOptions();
        var images = new ImageStoreOptions();
        // One call per type: the configuration binder's source generator (AOT) cannot follow a generic helper.
        ApplianceConfiguration.Bind(() => configuration.GetSection(CacheOptions.Section).Bind(cache));
        if (cache.Validate() is { } cacheProblem) throw ConfigurationException.FromProblem(cacheProblem);
        ApplianceConfiguration.Bind(() => configuration.GetSection(ImageStoreOptions.Section).Bind(images));
        if (images.Validate() is { } imagesProblem) throw ConfigurationException.FromProblem(imagesProblem);
        services.AddSingleton(cache);
        services.AddSingleton(images);
        services.AddSingleton(new ParamSettings(stateDir, cache));
        services.AddSingleton<ICameraServiceGroup, ParamGroup>();
        services.AddSingleton<ICameraServiceGroup, BarcodeScannerGroup>();
        services.AddSingleton<ICameraServiceGroup, FingerprintGroup>();
        services.AddSingleton<ICameraServiceGroup, CardReaderGroup>();
        services.AddSingleton<SignTasks>();
        services.AddSingleton<SignStreamOptions>();
        // The grabbed-image directory is the camera feature's; the same default when a board has no camera feature.
        services.AddSingleton(sp => new PageImageStore(sp.GetService<CameraServiceOptions>()?.ImageDirectory ?? Path.Combine(stateDir, "images"), images,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => new PictureFetcher());
        services.AddSingleton<PagePictures>();
        services.AddSingleton<IRetention>(sp => sp.GetRequiredService<PageImageStore>());
        services.AddSingleton<IPageSessionEnd>(sp => sp.GetRequiredService<PageImageStore>());
        services.AddSingleton<ICameraServiceGroup, SignGroup>();
        return services;
    }
}

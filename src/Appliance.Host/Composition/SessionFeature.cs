using Appliance.Adapters;
using Appliance.Adapters.Camera;
using Appliance.Adapters.Storage;
using Appliance.Adapters.Session;
using Appliance.Core.Board;
using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Screen;
using Appliance.Core.Session;
using Appliance.Core.Storage;
using Appliance.Ui;
using Appliance.Host.Configuration;
using Appliance.Protocols.Uos;
using Microsoft.Extensions.Configuration;

namespace Appliance.Host.Composition;

/// <summary>
/// The terminal session and everything around it: the results journal, the capture backends the board has, the
/// UOS port's task commands and result delivery, and the graceful-shutdown hook that journals the task on screen.
/// </summary>
internal static class SessionFeature
{
    public static IServiceCollection AddSessionFeature(this IServiceCollection services, IConfiguration configuration, ApplianceOptions options, BoardProfile board)
    {
        var journalOptions = new JournalOptions();
        var sessionOptions = new TerminalSessionOptions();
        var uosOptions = new UosOptions();
        // One call per type: the configuration binder's source generator (AOT) cannot follow a generic helper.
        Bind(() => configuration.GetSection(JournalOptions.Section).Bind(journalOptions), journalOptions.Validate);
        Bind(() => configuration.GetSection(TerminalSessionOptions.Section).Bind(sessionOptions), sessionOptions.Validate);
        Bind(() => configuration.GetSection(UosOptions.Section).Bind(uosOptions), uosOptions.Validate);
        services.AddSingleton(journalOptions);
        services.AddSingleton(sessionOptions);
        services.AddSingleton(uosOptions);
        services.AddSingleton(FaultInjection.FromEnvironment());

        services.AddSingleton(sp => new ResultsJournal(options.StateDir, journalOptions, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ResultsJournal>>(), sp.GetRequiredService<FaultInjection>()));
        services.AddSingleton<ITerminalScreen>(sp => new TerminalScreenAdapter(sp.GetRequiredService<ScreenService>()));
        services.AddSingleton(CaptureBackends.For);
        services.AddSingleton(sp => new TerminalSession(sp.GetRequiredService<ResultsJournal>(), sp.GetRequiredService<ITerminalScreen>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TerminalSession>>(), TimeSpan.FromSeconds(sessionOptions.OutcomeSeconds)));

        services.AddSingleton<UosConnectionRegistry>();
        services.AddSingleton<UosResultDelivery>();
        services.AddSingleton<UosCameraPreview>();
        services.AddSingleton<UosTaskCommands>();
        services.AddSingleton<IResultDelivery>(sp => sp.GetRequiredService<UosResultDelivery>());
        services.AddHostedService(sp => new SessionLifetimeService(sp.GetRequiredService<TerminalSession>(),
            sp.GetServices<IResultDelivery>(), TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds), sp.GetRequiredService<ILogger<SessionLifetimeService>>()));
        services.AddSingleton<IRetention>(sp => sp.GetRequiredService<ResultsJournal>());
        services.AddHostedService<RetentionService>();
        return services;
    }

    private static void Bind(Action bind, Func<string?> validate)
    {
        ApplianceConfiguration.Bind(bind);
        if (validate() is { } problem) throw ConfigurationException.FromProblem(problem);
    }
}

/// <summary>
/// Which capture backends this terminal has: the screen always (signature window, prompts); the fingerprint module,
/// ID-card reader and camera when their drivers are registered. A missing one answers "not supported" on the wire.
/// </summary>
internal static class CaptureBackends
{
    public static CaptureDevices For(IServiceProvider services)
    {
        var board = services.GetRequiredService<BoardProfile>();
        // The face camera (else the document camera) of the same camera port CameraService video= uses.
        var camera = services.GetService<ICameraSet>() is { } cameras ? (cameras.Get(1) ?? cameras.Get(0)) : null;
        return new CaptureDevices
        {
            Screen = services.GetRequiredService<ITerminalScreen>(),
            Fingerprint = board.Serial.Fingerprint is null ? null : services.GetRequiredService<IFingerprintCapture>(),
            IdCard = board.Serial.IdCard is null ? null : services.GetRequiredService<IIdCardCapture>(),
            Camera = camera is null ? null : new CameraCaptureAdapter(camera),
        };
    }
}


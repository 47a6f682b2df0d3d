using Appliance.Adapters.Indicators;
using Appliance.Core.Board;
using Appliance.Core.Health;
using Appliance.Core.Session;

namespace Appliance.Host.Composition;

/// <summary>
/// The terminal's LED, buzzer and backlight (board profile <c>gpio</c>), driven by <see cref="IndicatorService"/>.
/// A real board's lines come from <c>/dev/gpiochipN</c>; the sim board's (<c>chip: -1</c>) from the simulated chip
/// the sim board module registers. Health: <c>gpio</c>.
/// </summary>
internal static class IndicatorsFeature
{
    public static IServiceCollection AddIndicators(this IServiceCollection services, BoardProfile board)
    {
        if (board.Gpio is not { } gpio) return services;
        if (gpio.Chip >= 0) services.AddSingleton<IIndicatorChip>(GpioChipNode.Number(gpio.Chip));
        services.AddSingleton(sp => new IndicatorService(gpio, sp.GetRequiredService<IIndicatorChip>(), sp.GetRequiredService<TerminalSession>(),
            sp.GetRequiredService<DeviceHealthRegistry>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<IndicatorService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<IndicatorService>());
        return services;
    }
}

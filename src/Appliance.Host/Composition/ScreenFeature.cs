using Appliance.Adapters.Pen;
using Appliance.Adapters.Screen;
using Appliance.Core.Board;
using Appliance.Core.Health;
using Appliance.Core.Identity;

namespace Appliance.Host.Composition;

/// <summary>
/// The screen and the pen: the board's screen (<see cref="BoardScreen"/>), the pen driver feeding it
/// (<see cref="PenService"/>), and what the idle screen says (<see cref="HomeScreenService"/>, registered with the
/// pairing it shows, by <see cref="LanFeature"/>).
/// </summary>
internal static class ScreenFeature
{
    /// <exception cref="BoardProfileException">the board's CJK font cannot be loaded: the terminal cannot start.</exception>
    public static IServiceCollection AddScreen(this IServiceCollection services, BoardProfile board, string stateDir,
        DeviceHealthRegistry devices, TerminalIdentity identity, float textScale = 1)
    {
        services.AddSingleton(BoardScreen.Open(board, devices, identity, textScale));
        services.AddSingleton(PenSource.For(board, stateDir));
        services.AddHostedService<PenService>();
        return services;
    }
}

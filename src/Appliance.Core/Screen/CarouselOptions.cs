namespace Appliance.Core.Screen;

/// <summary>Seed 003 §9.18 <c>sign=showadvertisingplayer</c>.</summary>
public sealed record CarouselOptions
{
    /// <summary><c>piclist</c> as the protocol layer resolved it (base64, a page's own grab, an allowed URL). Required, at least one.</summary>
    public required IReadOnlyList<UiImageSource> Pictures { get; init; }

    /// <summary><c>time</c>: seconds each picture stays; default "5".</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);
}

namespace Appliance.Core.Screen;

/// <summary>Seed 003 §9.18 <c>sign=showadvertisingplayer</c>.</summary>
public sealed record CarouselOptions
{
    /// <summary><c>piclist</c>: local paths, http URLs and base64 mixed (see <see cref="UiImageSource.Parse"/>). Required, at least one.</summary>
    public required IReadOnlyList<UiImageSource> Pictures { get; init; }

    /// <summary><c>time</c>: seconds each picture stays; default "5".</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);
}

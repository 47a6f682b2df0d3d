
namespace Appliance.Core.Screen;

/// <summary>A pairing code to show full screen: which PC asked, from where, the six digits and until when.</summary>
public sealed record PairingCodeOptions
{
    public required string RequestId { get; init; }
    public required string Code { get; init; }
    public required string PcName { get; init; }
    public required string Address { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The person tapped "取消 / Cancel". Runs on the pen thread outside the screen's lock; must not throw.</summary>
    public Action? Cancel { get; init; }
}

/// <summary>One paired PC as the "paired PCs" page lists it.</summary>
public sealed record PairedPcView(string Id, string Name, string Address, DateTimeOffset PairedAt);

/// <summary>
/// What the idle screen's "配对管理 / Paired PCs" button opens: the list to show and how to revoke one. Both run on
/// the pen thread outside the screen's lock (they may call back into the screen); they must not throw.
/// </summary>
public sealed record PairedPcsMenu
{
    public required Func<IReadOnlyList<PairedPcView>> List { get; init; }

    /// <summary>Revokes the pairing with this <see cref="PairedPcView.Id"/>; the page re-reads the list afterwards.</summary>
    public required Action<string> Revoke { get; init; }
}

/// <summary>A button the pen can tap now (topmost at its centre), in logical screen pixels: the screen's model for tests and tools.</summary>
public sealed record ScreenButton(string Id, string Text, PixelRect Bounds)
{
    public double CentreX => (Bounds.Left + Bounds.Right) / 2.0;
    public double CentreY => (Bounds.Top + Bounds.Bottom) / 2.0;
}

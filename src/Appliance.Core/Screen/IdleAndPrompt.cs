namespace Appliance.Core.Screen;

/// <summary>What the idle screen shows when no task is on screen.</summary>
public sealed record IdleScreenInfo
{
    public string TerminalName { get; init; } = "";
    public IReadOnlyList<string> Addresses { get; init; } = [];
    /// <summary>One line about pairing, e.g. "未配对 / not paired" or "已配对 2 台电脑 / 2 PCs paired".</summary>
    public string PairingState { get; init; } = "";
}

/// <summary>A prompt telling the person what to do ("请按手指 / place your finger").</summary>
public sealed record PromptOptions
{
    public required string Text { get; init; }
    /// <summary>A smaller second line (English, a countdown…).</summary>
    public string? Detail { get; init; }
    /// <summary>0..1 draws a progress bar; null for none.</summary>
    public double? Progress { get; init; }
}

using Appliance.Core.Session;

namespace Appliance.Core.Voice;

/// <summary>What the terminal says aloud to the person at the counter.</summary>
public enum VoicePrompt
{
    PleaseSign,
    PlaceFinger,
    PlaceIdCard,
    SigningDone,
}

public static class VoicePrompts
{
    /// <summary>The words, Chinese first and English after, as the screen writes them.</summary>
    public static string Words(VoicePrompt prompt) => prompt switch
    {
        VoicePrompt.PleaseSign => "请签名。Please sign.",
        VoicePrompt.PlaceFinger => "请按手指。Place your finger.",
        VoicePrompt.PlaceIdCard => "请放置身份证。Place your ID card.",
        VoicePrompt.SigningDone => "签名完成。Done.",
        _ => throw new ArgumentOutOfRangeException(nameof(prompt)),
    };

    /// <summary>What to say when a task of <paramref name="kind"/> opens; null for tasks that speak for themselves.</summary>
    public static VoicePrompt? WhenOpening(TaskKind kind) => kind switch
    {
        TaskKind.Sign or TaskKind.SignFingerMix or TaskKind.SignPdf or TaskKind.SignOrder => VoicePrompt.PleaseSign,
        TaskKind.Fingerprint => VoicePrompt.PlaceFinger,
        TaskKind.IdCard => VoicePrompt.PlaceIdCard,
        _ => null,
    };

    /// <summary>What to say when a task of <paramref name="kind"/> completes.</summary>
    public static VoicePrompt? WhenCompleted(TaskKind kind) => kind switch
    {
        TaskKind.Sign or TaskKind.SignFingerMix or TaskKind.SignPdf or TaskKind.SignOrder => VoicePrompt.SigningDone,
        _ => null,
    };
}

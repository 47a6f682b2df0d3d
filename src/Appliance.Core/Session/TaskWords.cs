using Appliance.Core.Capture;

namespace Appliance.Core.Session;

/// <summary>
/// What the screen tells the person while a task runs and when it ends (for a few seconds before the idle screen): the
/// task was done, cancelled, timed out, ended, or a device is missing. Never a screen that changes without a word.
/// </summary>
public static class TaskWords
{
    /// <summary>The reader found a card and reads it (a second or two): lifting it now would spoil the read.</summary>
    public static ScreenPrompt ReadingCard { get; } = new("正在读卡，请勿移动 / Reading the card, keep it still", "");

    public static ScreenPrompt Outcome(TaskKind kind, TaskState state, CaptureFailure? failure, string message) => state switch
    {
        TaskState.Completed => new(Done(kind), ""),
        TaskState.CancelledByPerson => new("已取消 / Cancelled", ""),
        TaskState.TimedOut => new("已超时 / Timed out", message),
        TaskState.Aborted => new("已结束 / Ended", message),
        TaskState.Failed when failure is CaptureFailure.DeviceAbsent => new("设备未连接 / Device not connected", message),
        TaskState.Failed => new("未能完成 / Could not finish", message),
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a final state"),
    };

    private static string Done(TaskKind kind) => kind switch
    {
        TaskKind.Sign or TaskKind.SignFingerMix => "签名完成 / Signature done",
        TaskKind.Fingerprint => "指纹已采集 / Fingerprint captured",
        TaskKind.IdCard => "身份证已读取 / ID card read",
        TaskKind.Photo => "拍照完成 / Photo taken",
        TaskKind.Evaluation => "感谢您的评价 / Thank you",
        TaskKind.SignPdf => "文档已签署 / Document signed",
        TaskKind.SignOrder => "已签署，谢谢 / Signed, thank you",
        _ => "完成 / Done",
    };
}

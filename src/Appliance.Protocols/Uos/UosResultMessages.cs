using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Uos;

/// <summary>How a journaled result reads on the UOS wire (docs/PROTOCOLS.md canonical names, byte for byte).</summary>
public static class UosResultMessages
{
    /// <summary>Names of result parts as the session's work stores them in the journal.</summary>
    public static class Parts
    {
        public const string Signature = "signature";
        public const string PenSamples = PenSampleEncoding.PartName;
        public const string Fingerprint = "fingerprint";
        public const string Photo = "photo";
        public const string Mixed = "mixed";
    }

    /// <summary>The <c>idcardinfo</c> keys of docs/PROTOCOLS.md, in order, each with the field or image of the journaled card (<see cref="IdCardRead.ToProduct"/>) it comes from.</summary>
    public static readonly (string Wire, string Source, bool IsImage)[] IdCardKeys =
    [
        ("name", IdCardRead.RecordKeys.Name, false), ("sex", IdCardRead.RecordKeys.Sex, false), ("nation", IdCardRead.RecordKeys.Nation, false),
        ("birthday", IdCardRead.RecordKeys.Birthday, false), ("address", IdCardRead.RecordKeys.Address, false),
        ("idnum", IdCardRead.RecordKeys.IdNumber, false), ("issue", IdCardRead.RecordKeys.Issuer, false),
        ("efficientDate", IdCardRead.RecordKeys.ValidFrom, false), ("expireDate", IdCardRead.RecordKeys.ValidTo, false),
        ("bareheadBase64", IdCardRead.RecordKeys.Photo, true), ("frontingBase64", IdCardRead.RecordKeys.FrontImage, true),
        ("backingBase64", IdCardRead.RecordKeys.BackImage, true),
    ];

    public static byte[] Encode(ResultRecord r) => (r.Kind, r.State) switch
    {
        (TaskKind.Sign, TaskState.Completed) => Image("signbase64", r, Parts.Signature),
        (TaskKind.Sign, TaskState.CancelledByPerson) => UosMessages.Response("signcancel"),
        (TaskKind.Fingerprint, TaskState.Completed) => Image("fingerbase64", r, Parts.Fingerprint),
        (TaskKind.Photo, TaskState.Completed) => Image("picbase64", r, Parts.Photo),
        (TaskKind.SignFingerMix, TaskState.Completed) => Image("mixingbase64", r, Parts.Mixed),
        // Seed 000: a read that times out with no card answers the card object with every field empty.
        (TaskKind.IdCard, TaskState.Completed or TaskState.TimedOut) => IdCard(r),
        (_, TaskState.Completed) => UosMessages.Error(ErrorCode.DeviceFailed, $"unexpected {r.Kind} result in state {r.State}"),
        _ => UosMessages.Error(ErrorCodes.For(r.FailureKind), WithDefault(r.Message, r.State switch
        {
            TaskState.TimedOut => "超时 / timed out",
            TaskState.CancelledByPerson => "已在终端上取消 / cancelled on the terminal",
            TaskState.Aborted => "任务已中止 / task aborted",
            _ => "设备故障 / device failed",
        })),
    };

    private static byte[] Image(string response, ResultRecord r, string part) =>
        UosMessages.Response(response, Convert.ToBase64String(r.Image(part) ?? []));

    private static byte[] IdCard(ResultRecord r) => UosMessages.Response("idcardinfo", w =>
    {
        foreach (var (wire, source, isImage) in IdCardKeys)
        {
            if (isImage) w.WriteString(wire, Convert.ToBase64String(r.Image(source) ?? []));
            else w.WriteString(wire, r.Field(source));
        }
    });

    private static string WithDefault(string message, string fallback) => message.Length > 0 ? message : fallback;
}

using System.Text.Json;
using Appliance.Core.Orders;
using Appliance.Protocols.Security.Management;

namespace Appliance.Protocols.Orders.Coss;

/// <summary>
/// Seed 004's answers: <c>{"status":200,"message":"SUCCESS","data":…}</c>, and errors <c>{"status":"8900xxxx","message":…}</c>
/// with its §4 codes where one fits and the terminal's 89009xxx (<see cref="ManagementStatus"/>) where none does. The
/// operator routes (<c>/orders/start|list|revoke</c>) answer their errors the same way.
/// </summary>
public sealed class CossDialect : OrderDialect
{
    public static readonly CossDialect Instance = new();

    public const string BadParameter = ManagementStatus.BadParameter, UnknownAppId = ManagementStatus.UnknownAppId,
        BadSignature = ManagementStatus.BadSignature, ServerError = ManagementStatus.ServerError, IdNumberEmpty = "89000008",
        DataTooLong = "89003001", UnknownJob = "89003002", NoData = "89003004", Expired = "89003008", AlreadySigned = "89003009",
        VerifyFailed = "89003019", NotBase64 = "89003020", Cancelled = "89005025", IdentityMismatch = "89005099";

    public override string Code(OrderFailure failure) => failure switch
    {
        OrderFailure.AlreadySigned or OrderFailure.AlreadyEnded => AlreadySigned,
        OrderFailure.BeingSigned => ManagementStatus.OrderNumberInUse,
        OrderFailure.PersonNumberEmpty => IdNumberEmpty,
        OrderFailure.BadDocument or OrderFailure.PlacementNotFound => ManagementStatus.BadDocument,
        OrderFailure.TooLarge => DataTooLong,
        OrderFailure.UnknownOrder => UnknownJob,
        OrderFailure.Expired => Expired,
        OrderFailure.Refused => ManagementStatus.RefusedBySigner,
        OrderFailure.IdentityMismatch => IdentityMismatch,
        OrderFailure.Revoked => Cancelled,
        OrderFailure.TerminalBusy => ManagementStatus.TerminalBusy,
        OrderFailure.TooManyOrders => ManagementStatus.TooManyOrders,
        OrderFailure.Internal => ServerError,
        _ => BadParameter, // BadParameter, SignerCount, SignerKind, the empty names and numbers, OrderNumberEmpty, FileFormat
    };

    public override string Code(SignedCallFailure failure) => failure switch
    {
        SignedCallFailure.UnknownAppId => UnknownAppId,
        SignedCallFailure.BadSignature => BadSignature,
        SignedCallFailure.StaleTimestamp => ManagementStatus.StaleTimestamp,
        SignedCallFailure.ReplayedNonce => ManagementStatus.ReplayedNonce,
        _ => BadParameter,
    };

    public override string Code(OrderCallProblem problem) => problem switch
    {
        OrderCallProblem.BodyTooLarge => DataTooLong,
        OrderCallProblem.UploadsBusy => ManagementStatus.UploadsBusy,
        _ => BadParameter,
    };

    public override void WriteError(Utf8JsonWriter w, OrderRefusal refusal)
    {
        w.WriteStartObject();
        w.WriteString("status", refusal.Code);
        w.WriteString("message", refusal.Message);
        w.WriteEndObject();
    }
}

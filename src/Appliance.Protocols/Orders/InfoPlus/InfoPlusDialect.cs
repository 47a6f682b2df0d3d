using System.Globalization;
using System.Text.Json;
using Appliance.Core.Orders;
using Appliance.Protocols.Security.Management;

namespace Appliance.Protocols.Orders.InfoPlus;

/// <summary>
/// Seed 001's <c>Response&lt;Signature&gt;</c>: <c>{"errno":0,"error":"","entities":[…]}</c>. The seed numbers no errors,
/// so the terminal does: <c>errno</c> is fixed per reason (the table below, docs/PROTOCOLS.md), <c>error</c> the words
/// and <c>ecode</c> the reason's name (<c>BeingSigned</c>, <c>BadSignature</c>, …) for programs.
/// </summary>
public sealed class InfoPlusDialect : OrderDialect
{
    public static readonly InfoPlusDialect Instance = new();

    public override string Code(OrderFailure failure) => Number(failure switch
    {
        OrderFailure.BadParameter => 1,
        OrderFailure.AlreadySigned => 2,
        OrderFailure.BeingSigned => 3,
        OrderFailure.SignerCount => 4,
        OrderFailure.SignerKind => 5,
        OrderFailure.OrganisationNameEmpty => 6,
        OrderFailure.OrganisationNumberEmpty => 7,
        OrderFailure.PersonNameEmpty => 8,
        OrderFailure.PersonNumberEmpty => 9,
        OrderFailure.OrderNumberEmpty => 10,
        OrderFailure.FileFormat => 11,
        OrderFailure.BadDocument => 12,
        OrderFailure.PlacementNotFound => 13,
        OrderFailure.TooLarge => 14,
        OrderFailure.UnknownOrder => 15,
        OrderFailure.Expired => 16,
        OrderFailure.AlreadyEnded => 17,
        OrderFailure.Refused => 18,
        OrderFailure.IdentityMismatch => 19,
        OrderFailure.Revoked => 20,
        OrderFailure.TerminalBusy => 21,
        OrderFailure.TooManyOrders => 22,
        _ => 99, // Internal
    });

    public override string Code(SignedCallFailure failure) => Number(failure switch
    {
        SignedCallFailure.MissingParameter => 30,
        SignedCallFailure.DuplicateParameter => 31,
        SignedCallFailure.BadAlgorithm => 32,
        SignedCallFailure.UnknownAppId => 33,
        SignedCallFailure.BadSignature => 34,
        SignedCallFailure.WrongCommand => 35,
        SignedCallFailure.BadTimestamp => 36,
        SignedCallFailure.BadNonce => 37,
        SignedCallFailure.StaleTimestamp => 38,
        _ => 39, // ReplayedNonce
    });

    public override string Code(OrderCallProblem problem) => Number(problem switch
    {
        OrderCallProblem.NotJson => 40,
        OrderCallProblem.BodyTooLarge => 41,
        OrderCallProblem.UploadsBusy => 42,
        OrderCallProblem.UnknownFunction => 43,
        OrderCallProblem.MissingParameter => 44,
        _ => 45, // AmbiguousParameter
    });

    public override void WriteError(Utf8JsonWriter w, OrderRefusal refusal)
    {
        w.WriteStartObject();
        w.WriteNumber("errno", int.Parse(refusal.Code, CultureInfo.InvariantCulture));
        w.WriteString("error", refusal.Message);
        w.WriteString("ecode", refusal.Name);
        w.WriteEndObject();
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text.Json;
using Appliance.Core.Orders;
using Appliance.Protocols.Security.Management;

namespace Appliance.Protocols.Orders.WoSign;

/// <summary>
/// Seed 002's answers: <c>{"status":1,"errorcode":0,…}</c> or <c>{"status":0,"errorcode":-NN,"message":…}</c>, with its
/// error list (§3.1, §4) where a code fits and -79 (parameter error) where none does.
/// </summary>
public sealed class WoSignDialect : OrderDialect
{
    public static readonly WoSignDialect Instance = new();

    public const string NoTemplate = "-43", AlreadySigned = "-46", BeingSigned = "-47", SignerCount = "-48", SignerKind = "-49",
        OrganisationNameEmpty = "-51", OrganisationNumberEmpty = "-52", PersonNameEmpty = "-53", PersonNumberEmpty = "-54",
        OrderNumberEmpty = "-55", FileFormatEmpty = "-56", BadJson = "-63", UnknownAction = "-64", UnknownToken = "-65",
        Internal = "-69", BadParameter = "-79", BadCertificate = "-80", Incomplete = "-100";

    public override string Code(OrderFailure failure) => failure switch
    {
        OrderFailure.AlreadySigned => AlreadySigned,
        OrderFailure.BeingSigned => BeingSigned,
        OrderFailure.SignerCount => SignerCount,
        OrderFailure.SignerKind => SignerKind,
        OrderFailure.OrganisationNameEmpty => OrganisationNameEmpty,
        OrderFailure.OrganisationNumberEmpty => OrganisationNumberEmpty,
        OrderFailure.PersonNameEmpty => PersonNameEmpty,
        OrderFailure.PersonNumberEmpty => PersonNumberEmpty,
        OrderFailure.OrderNumberEmpty => OrderNumberEmpty,
        OrderFailure.FileFormat => FileFormatEmpty,
        OrderFailure.TerminalBusy or OrderFailure.TooManyOrders or OrderFailure.Internal => Internal,
        _ => BadParameter, // BadParameter, BadDocument, PlacementNotFound, TooLarge, and the ends an intake cannot meet
    };

    public override string Code(SignedCallFailure failure) => failure switch
    {
        SignedCallFailure.UnknownAppId => UnknownToken,
        SignedCallFailure.BadSignature => BadCertificate,
        SignedCallFailure.MissingParameter => Incomplete,
        _ => BadParameter, // a stale timestamp, a replayed nonce, a malformed one, another algorithm or command
    };

    public override string Code(OrderCallProblem problem) => problem switch
    {
        OrderCallProblem.NotJson => BadJson,
        OrderCallProblem.UnknownFunction => UnknownAction,
        OrderCallProblem.MissingParameter => Incomplete,
        OrderCallProblem.UploadsBusy => Internal,
        _ => BadParameter,
    };

    public override void WriteError(Utf8JsonWriter w, OrderRefusal refusal)
    {
        w.WriteStartObject();
        w.WriteNumber("status", 0);
        w.WriteNumber("errorcode", int.Parse(refusal.Code, CultureInfo.InvariantCulture));
        w.WriteString("message", refusal.Message);
        w.WriteEndObject();
    }
}

using System.Text.Json;
using Appliance.Core.Orders;

namespace Appliance.Protocols.Orders.Coss;

/// <summary>
/// Seed 004 §3.3.3 <c>addSignJob</c> read into an <see cref="OrderIntake"/>: a DATA or HASH job (SM3withSM2) that one
/// person consents to by hand on the terminal, after which the device key signs it. <c>WEB_SEAL</c> is not something a
/// terminal does (89000001). Ours beside the seed: <c>userName</c> and <c>idNumber</c> (the person; with
/// <c>verifyIdCard</c> their ID card must match), <c>fingerprint</c>, <c>callbackPin</c>, <c>autoStart</c>. The public
/// parameter <c>transId</c> is the order number; without it the job gets a fresh <c>SD_</c> number of its own.
/// </summary>
public static class CossJobParser
{
    public const string Sm3WithSm2 = "SM3withSM2";
    public const int MaxTitleLength = 100, MaxDescriptionLength = 200;

    /// <summary>An SM3 digest (a HASH job's data) is this long.</summary>
    public const int Sm3Bytes = 32;

    public static OrderIntake Parse(JsonElement body, string caller)
    {
        var f = new OrderFields(body);
        var title = f.Text("title").Trim();
        if (title.Length == 0) throw f.Bad("title", "required");
        if (title.Length > MaxTitleLength) throw f.Bad("title", $"at most {MaxTitleLength} characters, found {title.Length}");
        var dataType = f.Text("dataType").Trim().ToUpperInvariant();
        var kind = dataType switch
        {
            "DATA" => OrderContentKind.Data,
            "HASH" => OrderContentKind.Hash,
            "" => throw f.Bad("dataType", "required: DATA or HASH"),
            "WEB_SEAL" => throw f.Bad("dataType", "WEB_SEAL (网页签章) is not supported on a terminal: DATA or HASH"),
            _ => throw f.Bad("dataType", $"DATA or HASH, found \"{Clip(dataType)}\""),
        };
        var algo = f.Text("algo").Trim();
        if (algo.Length == 0) throw f.Bad("algo", $"required: {Sm3WithSm2}");
        if (!algo.Equals(Sm3WithSm2, StringComparison.OrdinalIgnoreCase)) throw f.Bad("algo", $"only {Sm3WithSm2}, found \"{Clip(algo)}\"");
        var description = f.Text("description").Trim();
        if (description.Length > MaxDescriptionLength) throw f.Bad("description", $"at most {MaxDescriptionLength} characters, found {description.Length}");
        var data = f.Base64("data", OrderLimits.MaxDataBytes,
            notBase64: m => OrderCallException.Shape(CossDialect.NotBase64, "参数非 BASE64 编码 / " + m),
            tooLarge: m => OrderCallException.Shape(CossDialect.DataTooLong, "签名数据超出允许的长度 / " + m))
            ?? throw OrderCallException.Shape(CossDialect.NoData, "请传入 base64 待签数据 / data: required (base64)");
        if (kind == OrderContentKind.Hash && data.Length != Sm3Bytes)
            throw f.Bad("data", $"a HASH job's data is an SM3 digest ({Sm3Bytes} bytes), found {data.Length} bytes");

        var userId = f.Text("userId").Trim();
        if (userId.Length > 128) throw f.Bad("userId", "longer than 128 characters");
        var userName = f.Text("userName").Trim();
        var idNumber = f.Text("idNumber").Trim();
        var verifyIdCard = f.Flag("verifyIdCard") ?? false;
        if (verifyIdCard && userName.Length == 0) throw new OrderException(OrderFailure.PersonNameEmpty, "userName: verifyIdCard needs the name the ID card must show");
        if (verifyIdCard && idNumber.Length == 0) throw new OrderException(OrderFailure.PersonNumberEmpty, "证件号码为空 / idNumber: verifyIdCard needs the number the ID card must show");
        var transId = f.Text("transId").Trim();
        if (transId.Length > 128) throw f.Bad("transId", "longer than 128 characters");

        var additions = OrderAdditions.Read(f, urlName: "callBackUrl", expiryName: "expiryDate");
        return new OrderIntake
        {
            Caller = caller,
            Shape = OrderShape.Coss,
            OrderNumber = transId.Length > 0 ? transId : "SD_" + Guid.NewGuid().ToString("D"),
            Subject = title,
            Content = kind,
            Algorithm = Sm3WithSm2,
            Bytes = data,
            Signers = [new SignerIntake
            {
                Kind = SignerKind.Person,
                Name = userName.Length > 0 ? userName : title,
                Number = idNumber,
                Account = userId,
                VerifyIdCard = verifyIdCard,
                Fingerprint = f.Flag("fingerprint") ?? false,
            }],
            ValidFor = additions.ValidFor,
            CallbackUrl = additions.CallbackUrl,
            CallbackPin = additions.CallbackPin,
            AutoStart = additions.AutoStart,
            ShapeJson = ShapeJson(title, description, dataType),
        };
    }

    /// <summary>What the terminal shows beside the title: the job's description and data type.</summary>
    private static string ShapeJson(string title, string description, string dataType) => System.Text.Encoding.UTF8.GetString(OrderCallRunner.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("title", title);
        w.WriteString("description", description);
        w.WriteString("dataType", dataType);
        w.WriteEndObject();
    }));

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

using System.Globalization;
using System.Text.Json;
using Appliance.Core.Orders;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Orders.WoSign;

/// <summary>
/// Seed 002 §3.1 <c>CreateSignOrder</c> read into an <see cref="OrderIntake"/>. The terminal has no templates (tempid
/// must be empty, -43), does not encrypt (password must be empty, -79), signs PDFs only (fileformat pdf) and reads the
/// signer's ID card itself (pic / otherpic are accepted, not required). Refusals with a seed code of their own are
/// <see cref="OrderException"/>s (-46..-56) or <see cref="OrderCallException"/>s carrying the code (-43, -64, -65, -100).
/// </summary>
public static class WoSignOrderParser
{
    public const string CreateSignOrder = "CreateSignOrder";
    public const int MaxSubjectLength = 256;

    /// <summary>A stamp picture (stampbase) is at most this large.</summary>
    public const int MaxStampBytes = 1024 * 1024;

    public static OrderIntake Parse(JsonElement body, string caller)
    {
        var f = new OrderFields(body);
        var action = f.Text("actiontype").Trim();
        if (action.Length == 0) throw OrderCallException.Missing("actiontype", " (CreateSignOrder)");
        if (!WireName.Matches(action, CreateSignOrder))
            throw new OrderCallException(OrderCallProblem.UnknownFunction, $"不支持该 actionType / actiontype \"{Clip(action)}\": the terminal takes CreateSignOrder (it sends PushSignedDoc)");
        var token = f.Text("tokenid").Trim();
        if (token.Length > 0 && token != caller)
            throw OrderCallException.Shape(WoSignDialect.UnknownToken, $"系统不存在此 TokenID / tokenid {Clip(token)} is not the appId that signed the call");
        if (f.Text("tempid").Trim().Length > 0)
            throw OrderCallException.Shape(WoSignDialect.NoTemplate, "tempid 不存在 / the terminal has no templates: leave tempid empty and send the document in filebase with each signer's signlist");
        var orderNumber = f.Text("orderNumber").Trim();
        if (orderNumber.Length == 0) throw new OrderException(OrderFailure.OrderNumberEmpty, "orderNumber 为空 / orderNumber: required");
        if (orderNumber.Length > 128) throw f.Bad("orderNumber", "longer than 128 characters");
        var format = f.Text("fileformat").Trim().TrimStart('.');
        if (format.Length == 0) throw new OrderException(OrderFailure.FileFormat, "文档后缀为空 / fileformat: required (pdf)");
        if (!format.Equals("pdf", StringComparison.OrdinalIgnoreCase)) throw f.Bad("fileformat", $"the terminal signs pdf only, found \"{Clip(format)}\"");
        if (f.Text("password").Length > 0) throw f.Bad("password", "the terminal does not encrypt signed documents: leave it empty");
        var document = f.Base64("filebase", BodyLimits.Document)
            ?? throw OrderCallException.Missing("filebase", " (the PDF as base64: the terminal has no templates)");

        var defaults = (IdCard: f.Flag("verifyIdCard") ?? false, Fingerprint: f.Flag("fingerprint") ?? false);
        var list = f.Array("signerlist") ?? [];
        if (list.Count == 0 || list.Count > OrderLimits.MaxSigners)
            throw new OrderException(OrderFailure.SignerCount, $"签署人数量错误 / signerlist: 1..{OrderLimits.MaxSigners} signers, found {list.Count}");
        var signers = list.Select((item, i) => Signer(OrderFields.Item(item, "signerlist", i), defaults)).ToList();

        var additions = OrderAdditions.Read(f);
        return new OrderIntake
        {
            Caller = caller,
            Shape = OrderShape.WoSign,
            OrderNumber = orderNumber,
            Subject = Subject(f.Text("subject").Trim()),
            Content = OrderContentKind.Pdf,
            Bytes = document,
            Signers = signers,
            ValidFor = additions.ValidFor,
            CallbackUrl = additions.CallbackUrl,
            CallbackPin = additions.CallbackPin,
            AutoStart = additions.AutoStart,
        };
    }

    private static SignerIntake Signer(OrderFields s, (bool IdCard, bool Fingerprint) defaults)
    {
        var type = s.Get("signType") is { } t ? (t.ValueKind is JsonValueKind.Number or JsonValueKind.String ? s.Text("signType").Trim() : "?") : "";
        var kind = type switch
        {
            "1" => SignerKind.Organisation,
            "2" => SignerKind.Person,
            _ => throw new OrderException(OrderFailure.SignerKind, $"签署人类型错误 / {s.PathOf("signType")}: 1 (organisation) or 2 (person), found \"{Clip(type)}\""),
        };
        string name, number;
        if (kind == SignerKind.Organisation)
        {
            name = s.Text("orgName").Trim();
            if (name.Length == 0) throw new OrderException(OrderFailure.OrganisationNameEmpty, $"公司名称为空 / {s.PathOf("orgName")}: required for signType 1");
            number = s.Text("orgNo").Trim();
            if (number.Length == 0) throw new OrderException(OrderFailure.OrganisationNumberEmpty, $"营业执照号为空 / {s.PathOf("orgNo")}: required for signType 1");
        }
        else
        {
            name = s.Text("userName").Trim();
            if (name.Length == 0) throw new OrderException(OrderFailure.PersonNameEmpty, $"用户姓名为空 / {s.PathOf("userName")}: required for signType 2");
            number = s.Text("userNo").Trim();
            if (number.Length == 0) throw new OrderException(OrderFailure.PersonNumberEmpty, $"身份证号码为空 / {s.PathOf("userNo")}: required for signType 2");
        }
        var country = s.Text("country").Trim();
        if (country.Length > 0 && !(country.Length == 2 && country.All(char.IsAsciiLetter))) throw s.Bad("country", $"a two-letter country code, found \"{Clip(country)}\"");
        var stamp = s.Base64("stampbase", MaxStampBytes);
        // pic / otherpic (the ID card or licence images) are accepted and not used: the terminal reads the ID card itself.

        var spots = s.Array("signlist") ?? [];
        if (spots.Count == 0) throw OrderCallException.Missing(s.PathOf("signlist"), " (where this signer signs: the terminal has no templates)");
        if (spots.Count > OrderLimits.MaxPlacements) throw s.Bad("signlist", $"at most {OrderLimits.MaxPlacements} placements per signer, found {spots.Count}");
        var placements = spots.Select((spot, i) => Placement(OrderFields.Item(spot, s.PathOf("signlist"), i))).ToList();

        return new SignerIntake
        {
            Kind = kind,
            Name = name,
            Number = number,
            Placements = placements,
            // The order-level default is for people: an organisation proves nothing with an ID card (the desk refuses it).
            VerifyIdCard = s.Flag("verifyIdCard") ?? (kind == SignerKind.Person && defaults.IdCard),
            Fingerprint = s.Flag("fingerprint") ?? defaults.Fingerprint,
            StampPng = stamp,
        };
    }

    /// <summary>pagenumber (1-based) and position "left,bottom,right,top" in 0-1 fractions of the page (spaces allowed).</summary>
    private static PlacementSpec Placement(OrderFields p)
    {
        var page = p.Integer("pagenumber") ?? throw p.Bad("pagenumber", "required (1 = the first page)");
        if (page < 1 || page > 100_000) throw p.Bad("pagenumber", $"expected a page number from 1, found {page.ToString(CultureInfo.InvariantCulture)}");
        var position = p.Text("position");
        var parts = position.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[4];
        if (parts.Length != 4 || !parts.Select((part, i) => double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) && double.IsFinite(values[i])).All(ok => ok))
            throw p.Bad("position", $"expected \"left,bottom,right,top\" as four 0-1 fractions of the page, found \"{Clip(position)}\"");
        return new PlacementSpec.Area((int)page, values[0], values[1], values[2], values[3]);
    }

    /// <summary>Seed 002: at most 256 characters, the rest dropped (never half a surrogate pair).</summary>
    private static string Subject(string subject)
    {
        if (subject.Length <= MaxSubjectLength) return subject;
        var cut = char.IsHighSurrogate(subject[MaxSubjectLength - 1]) ? MaxSubjectLength - 1 : MaxSubjectLength;
        return subject[..cut];
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

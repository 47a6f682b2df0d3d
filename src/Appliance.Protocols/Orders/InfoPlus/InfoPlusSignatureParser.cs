using System.Globalization;
using System.Text.Json;
using Appliance.Core.Orders;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Orders.InfoPlus;

/// <summary>
/// Seed 001's <c>Signature</c> object, posted flat with the signed-call parameters, read into an <see cref="OrderIntake"/>.
/// <c>id</c> (the caller's file id) is the order number; <c>mime</c> must be <c>application/pdf</c>; the PDF comes in
/// <c>content</c> (base64, ours: the terminal does not fetch <c>uri</c>). The signers are the distinct
/// <c>seals[].signer.account</c> in the order of their first seal; each seal is a placement of its signer: its
/// <c>placeHolder</c> (the first occurrence of that text) or else <c>x</c>/<c>y</c> on <c>page</c> (ours, default 1).
/// The Signature members (everything but the call's own parameters and our additions) are kept as
/// <see cref="OrderIntake.ShapeJson"/> to be echoed in the answer and the result push.
/// </summary>
public static class InfoPlusSignatureParser
{
    /// <summary>Top-level members that are the call's, not the Signature's: the signed-call parameters and our additions.</summary>
    public static readonly IReadOnlySet<string> NotSignature = new HashSet<string>(
        ["appid", "signalgo", "signature", "timestamp", "nonce", "version", "command", "transid",
         "content", "verifyidcard", "fingerprint", "callbackurl", "callbackpin", "expiryminutes", "autostart"], StringComparer.Ordinal);

    public const string PdfMime = "application/pdf";

    public static OrderIntake Parse(JsonElement body, string caller)
    {
        var f = new OrderFields(body);
        var id = f.Text("id").Trim();
        if (id.Length == 0) throw new OrderException(OrderFailure.OrderNumberEmpty, "id: required (the file's id, used as the order number)");
        if (id.Length > 128) throw f.Bad("id", "longer than 128 characters");
        var mime = f.Text("mime").Trim();
        if (!mime.Split(';')[0].Trim().Equals(PdfMime, StringComparison.OrdinalIgnoreCase))
            throw new OrderException(OrderFailure.FileFormat, $"mime: only \"{PdfMime}\" is supported, found \"{Clip(mime)}\"");
        var content = f.Base64("content", BodyLimits.Document)
            ?? throw OrderCallException.Missing("content", " (the PDF as base64: the terminal does not fetch uri)");
        if (f.Integer("size") is { } size && size != content.Length)
            throw f.Bad("size", $"says {size.ToString(CultureInfo.InvariantCulture)} bytes, content has {content.Length.ToString(CultureInfo.InvariantCulture)}");
        var name = f.Text("name").Trim();

        var defaults = (IdCard: f.Flag("verifyIdCard") ?? false, Fingerprint: f.Flag("fingerprint") ?? false);
        var seals = f.Array("seals") ?? [];
        if (seals.Count == 0) throw new OrderException(OrderFailure.SignerCount, "seals: at least one seal (its signer and where it goes)");
        var signers = new List<Builder>();
        for (var i = 0; i < seals.Count; i++)
        {
            var seal = OrderFields.Item(seals[i], "seals", i);
            var who = seal.Object("signer") ?? throw seal.Bad("signer", "required ({account, name})");
            var account = who.Text("account").Trim();
            if (account.Length == 0) throw who.Bad("account", "required (the signer's account: seals of one account are one signer)");
            var signerName = who.Text("name").Trim();
            if (signerName.Length == 0) throw new OrderException(OrderFailure.PersonNameEmpty, $"{who.PathOf("name")}: required");
            var number = who.Text("idNumber").Trim();
            var signer = signers.Find(s => s.Account == account);
            if (signer is null)
            {
                signer = new Builder(account, signerName, number,
                    who.Flag("verifyIdCard") ?? defaults.IdCard, who.Flag("fingerprint") ?? defaults.Fingerprint);
                signers.Add(signer);
            }
            else if (signer.Name != signerName || (number.Length > 0 && signer.Number.Length > 0 && number != signer.Number))
                throw who.Bad("name", $"account {Clip(account)} is {signer.Name} in an earlier seal");
            else if (signer.Number.Length == 0) signer.Number = number;
            signer.Placements.Add(Placement(seal));
        }
        if (signers.Count > OrderLimits.MaxSigners)
            throw new OrderException(OrderFailure.SignerCount, $"seals: at most {OrderLimits.MaxSigners} signers (accounts), found {signers.Count}");
        foreach (var s in signers)
        {
            if (s.Placements.Count > OrderLimits.MaxPlacements)
                throw new OrderException(OrderFailure.BadParameter, $"seals: at most {OrderLimits.MaxPlacements} seals per signer, account {Clip(s.Account)} has {s.Placements.Count}");
            if (s.VerifyIdCard && s.Number.Length == 0)
                throw new OrderException(OrderFailure.PersonNumberEmpty, $"signer {Clip(s.Account)}: verifyIdCard needs signer.idNumber (the resident-ID number the card must show)");
        }

        var additions = OrderAdditions.Read(f);
        return new OrderIntake
        {
            Caller = caller,
            Shape = OrderShape.InfoPlus,
            OrderNumber = id,
            Subject = name,
            FileName = name,
            Content = OrderContentKind.Pdf,
            Bytes = content,
            Signers = [.. signers.Select(s => new SignerIntake
            {
                Kind = SignerKind.Person, Name = s.Name, Number = s.Number, Account = s.Account, Placements = s.Placements,
                VerifyIdCard = s.VerifyIdCard, Fingerprint = s.Fingerprint,
            })],
            ValidFor = additions.ValidFor,
            CallbackUrl = additions.CallbackUrl,
            CallbackPin = additions.CallbackPin,
            AutoStart = additions.AutoStart,
            ShapeJson = SignatureJson(body),
        };
    }

    /// <summary>The Signature members of the body as compact JSON (no content, no call parameters).</summary>
    public static string SignatureJson(JsonElement body) => System.Text.Encoding.UTF8.GetString(OrderCallRunner.Write(w =>
    {
        w.WriteStartObject();
        foreach (var p in body.EnumerateObject())
        {
            if (NotSignature.Contains(WireName.Normalize(p.Name))) continue;
            w.WritePropertyName(p.Name);
            p.Value.WriteTo(w);
        }
        w.WriteEndObject();
    }));

    private static PlacementSpec Placement(OrderFields seal)
    {
        var placeHolder = seal.Text("placeHolder").Trim();
        if (placeHolder.Length > 0) return new PlacementSpec.Text(placeHolder, 1, 0, 0);
        var page = seal.Integer("page") ?? 1;
        if (page < 1 || page > 100_000) throw seal.Bad("page", $"expected a page number from 1, found {page.ToString(CultureInfo.InvariantCulture)}");
        var x = seal.Number("x") ?? throw seal.Bad("x", "required when there is no placeHolder (points from the page's left edge)");
        var y = seal.Number("y") ?? throw seal.Bad("y", "required when there is no placeHolder (points from the page's bottom edge)");
        return new PlacementSpec.Point((int)page, x, y);
    }

    private sealed class Builder(string account, string name, string number, bool verifyIdCard, bool fingerprint)
    {
        public string Account { get; } = account;
        public string Name { get; } = name;
        public string Number { get; set; } = number;
        public bool VerifyIdCard { get; } = verifyIdCard;
        public bool Fingerprint { get; } = fingerprint;
        public List<PlacementSpec> Placements { get; } = [];
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

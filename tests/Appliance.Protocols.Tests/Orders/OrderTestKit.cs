using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Core.Orders;
using Appliance.Core.Pairing;
using Appliance.Protocols.Orders;
using Appliance.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Protocols.Tests.Orders;

/// <summary>What the order tests share: a paired caller, a store of orders, hand-built views, a verifier that answers as told.</summary>
internal sealed class OrderTestKit : IDisposable
{
    public const string KeyId = "pc_0123456789abcdef", Secret = "c2VjcmV0LW9mLXRoZS1wYw==";
    public static readonly DateTimeOffset Now = new(2026, 12, 8, 10, 0, 0, TimeSpan.FromHours(8));

    private readonly TempDir _state = new("appliance-orders-");

    public OrderTestKit()
    {
        Pairings = new PairingStore(_state.Path);
        Pairings.Add(new PairedPc(KeyId, Secret, "Counter PC", "10.0.0.2", Now));
        Store = new OrderStore(_state.Path, NullLogger<OrderStore>.Instance);
    }

    public PairingStore Pairings { get; }
    public OrderStore Store { get; }
    public FakeVerifier Verifier { get; } = new();
    public ManualClock Clock { get; } = new(Now);

    public OrderResultComposer Composer(ISignatureVerifier? verifier = null) =>
        new(Pairings, Store, verifier ?? Verifier, Clock, NullLogger<OrderResultComposer>.Instance);

    /// <summary>Stores the order (its folder, document-0) and returns it with <paramref name="progress"/>.</summary>
    public OrderView Stored(SigningOrder order, OrderProgress progress, byte[]? content = null)
    {
        Store.Add(order, content ?? SamplePdf.Create(), Now);
        return Store.Save(order.Id, progress);
    }

    public static SigningOrder Order(OrderShape shape, string callbackUrl, params OrderSigner[] signers) => new()
    {
        Id = "SO_" + Guid.NewGuid().ToString("N"),
        Caller = KeyId,
        Shape = shape,
        OrderNumber = "HT-2026-0001",
        Signers = signers.Length > 0 ? signers : [Person("张三", "110101199003074514", "zhangsan")],
        CreatedAt = Now,
        ExpiresAt = Now.AddDays(1),
        CallbackUrl = callbackUrl,
    };

    public static OrderSigner Person(string name, string number, string account = "") => new()
    {
        Kind = SignerKind.Person, Name = name, Number = number, Account = account,
        Placements = [new OrderPlacement(0, 0.6, 0.4, 0.2, 0.1)],
    };

    public static OrderProgress Ended(OrderState state, OrderFailure? failure = null, string reason = "") => new()
    {
        State = state, UpdatedAt = Now, EndFailure = failure, EndReason = reason,
    };

    public static OrderProgress SignedBy(int signers, string documentSha = "") => new()
    {
        State = OrderState.Signed, SignersDone = signers, UpdatedAt = Now, ResultSha256 = documentSha,
        Signed = [.. Enumerable.Range(0, signers).Select(k => new SignerResult(k, Now, false, documentSha, OrderStore.SignatureName(k)))],
    };

    /// <summary>The push body parsed, and checked: its seed-004 signature verifies with the pairing secret.</summary>
    public static JsonElement VerifiedBody(OrderPush push)
    {
        var body = JsonDocument.Parse(push.Body).RootElement.Clone();
        Assert.Equal(KeyId, body.GetProperty("appId").GetString());
        Assert.Equal("HMAC", body.GetProperty("signAlgo").GetString());
        Assert.Equal("1.0", body.GetProperty("version").GetString());
        Assert.Equal(Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("timestamp").GetString());
        Assert.Equal(32, body.GetProperty("nonce").GetString()!.Length);
        var signature = body.GetProperty("signature").GetString()!;
        // Checked the long way, as a receiver following seed 004 §2.5.3 does: stringA over the parameters, then HMAC.
        var parameters = Appliance.Protocols.Security.Management.RequestSignature.Parameters(body);
        Assert.True(Appliance.Protocols.Security.Management.RequestSignature.Verify(Appliance.Protocols.Security.Management.RequestSignature.StringToSign(parameters), Secret, signature),
            "the push's signature does not verify with the pairing secret");
        Assert.False(Appliance.Protocols.Security.Management.RequestSignature.Verify(Appliance.Protocols.Security.Management.RequestSignature.StringToSign(parameters), "another secret", signature));
        return body;
    }

    /// <summary>A JSON body as a seed shows it, with the signed-call parameters the parsers do not read.</summary>
    public static JsonElement Body(string json) => JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>The body with one member replaced (null: removed).</summary>
    public static JsonElement With(string json, string path, JsonNode? value)
    {
        var root = JsonNode.Parse(json)!;
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1]) node = part.EndsWith(']') ? node[part[..part.IndexOf('[')]]![int.Parse(part[(part.IndexOf('[') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]! : node[part]!;
        var last = parts[^1];
        if (value is null) node.AsObject().Remove(last);
        else node[last] = value;
        return JsonDocument.Parse(root.ToJsonString()).RootElement.Clone();
    }

    public void Dispose() => _state.Dispose();
}

/// <summary>An <see cref="ISignatureVerifier"/> that answers what the test set.</summary>
internal sealed class FakeVerifier : ISignatureVerifier
{
    public IReadOnlyList<PdfSignatureCheck> Checks { get; set; } = [];
    public bool DataValid { get; set; } = true;
    public List<(byte[] Data, OrderContentKind Kind, string Algorithm)> DataCalls { get; } = [];

    public IReadOnlyList<PdfSignatureCheck> VerifyPdf(byte[] pdf) =>
        pdf.AsSpan().StartsWith("%PDF"u8) ? Checks : throw new OrderException(OrderFailure.BadDocument, "not a PDF");

    public bool VerifyData(byte[] data, OrderContentKind kind, string algorithm, byte[] signature, byte[] certificate)
    {
        DataCalls.Add((data, kind, algorithm));
        return DataValid;
    }
}

namespace Appliance.Core.Orders;

public enum OrderState
{
    /// <summary>Accepted; waiting for its next signer to come to the counter (seed 004 UNSIGN).</summary>
    Waiting,
    /// <summary>On the terminal's screen now, for <see cref="OrderProgress.SignersDone"/>'s signer.</summary>
    Signing,
    /// <summary>Every signer signed; the result is the signed PDF or data signature (seed 004 FINISH).</summary>
    Signed,
    /// <summary>A signer refused on the terminal, or their ID card did not match (seed 004 REFUSE).</summary>
    Refused,
    /// <summary>Not signed by its expiry (seed 004 EXPIRE).</summary>
    Expired,
    /// <summary>Withdrawn by its caller (seed 004 REVOKE).</summary>
    Revoked,
}

public enum OrderTrigger
{
    Start,
    /// <summary>A signer signed and more follow.</summary>
    SignerDone,
    /// <summary>The last signer signed.</summary>
    LastSignerDone,
    /// <summary>The counter task ended without a decision (timeout, the terminal shut down): the signer may come back.</summary>
    Interrupted,
    Refuse,
    IdentityMismatch,
    Expire,
    Revoke,
}

/// <summary>Every move an order can make; anything not in the table is refused.</summary>
public static class OrderTransitions
{
    private static readonly Dictionary<(OrderState, OrderTrigger), OrderState> Table = new()
    {
        [(OrderState.Waiting, OrderTrigger.Start)] = OrderState.Signing,
        [(OrderState.Waiting, OrderTrigger.Expire)] = OrderState.Expired,
        [(OrderState.Waiting, OrderTrigger.Revoke)] = OrderState.Revoked,
        [(OrderState.Signing, OrderTrigger.SignerDone)] = OrderState.Waiting,
        [(OrderState.Signing, OrderTrigger.LastSignerDone)] = OrderState.Signed,
        [(OrderState.Signing, OrderTrigger.Interrupted)] = OrderState.Waiting,
        [(OrderState.Signing, OrderTrigger.Refuse)] = OrderState.Refused,
        [(OrderState.Signing, OrderTrigger.IdentityMismatch)] = OrderState.Refused,
        [(OrderState.Signing, OrderTrigger.Expire)] = OrderState.Expired,
        [(OrderState.Signing, OrderTrigger.Revoke)] = OrderState.Revoked,
    };

    public static OrderState? Next(OrderState state, OrderTrigger trigger) => Table.TryGetValue((state, trigger), out var next) ? next : null;

    public static bool IsFinal(this OrderState state) => state is OrderState.Signed or OrderState.Refused or OrderState.Expired or OrderState.Revoked;
}

/// <summary>What happened to an order so far (<c>STATE_DIR/orders/ID/progress.json</c>, replaced atomically on every move).</summary>
public sealed record OrderProgress
{
    public OrderState State { get; init; } = OrderState.Waiting;

    /// <summary>How many signers have signed (the next signer's index).</summary>
    public int SignersDone { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The last counter task ended without a decision (timeout, a restart): the order waits for an operator's start, never loops on the screen.</summary>
    public bool Held { get; init; }

    /// <summary>The ended order's push is in the outbox (or it needs none): a restart does not compose it again.</summary>
    public bool PushQueued { get; init; }

    /// <summary>Why it ended when not signed (refused, identity mismatch, expired, revoked), in words; "" otherwise.</summary>
    public string EndReason { get; init; } = "";

    /// <summary>The failure behind a Refused / Expired / Revoked end (mapped to each shape's code).</summary>
    public OrderFailure? EndFailure { get; init; }

    /// <summary>One entry per signer who signed.</summary>
    public IReadOnlyList<SignerResult> Signed { get; init; } = [];

    /// <summary>SHA-256 (lower-case hex) of the result: the final signed PDF, or the data signature's bytes.</summary>
    public string ResultSha256 { get; init; } = "";

    /// <summary>DATA / HASH orders: the signature value (DER, base64) and the certificate (DER, base64).</summary>
    public string DataSignature { get; init; } = "";
    public string Certificate { get; init; } = "";
}

/// <summary>A signer's signing: when, whether the ID card was checked, and the PDF's hash after their digital signature.</summary>
public sealed record SignerResult(int Signer, DateTimeOffset SignedAt, bool IdCardChecked, string DocumentSha256, string SignatureFile);

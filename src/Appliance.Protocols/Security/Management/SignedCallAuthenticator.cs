using System.Text.Json;
using Appliance.Core.Pairing;

namespace Appliance.Protocols.Security.Management;

/// <summary>Why a signed call (seed 004 §2.5.3 plus our timestamp and nonce) was refused.</summary>
public enum SignedCallFailure
{
    /// <summary>appId, signAlgo, signature, timestamp or nonce is missing or empty (or, on /manage, command).</summary>
    MissingParameter,
    /// <summary>A top-level parameter appears twice: the signature covers one value, so which one was meant is unknown.</summary>
    DuplicateParameter,
    /// <summary>signAlgo is neither HMAC nor HMACSHA256.</summary>
    BadAlgorithm,
    /// <summary>No PC is paired with that appId (never paired, or unpaired since).</summary>
    UnknownAppId,
    /// <summary>The signature does not match the parameters.</summary>
    BadSignature,
    /// <summary>The signed command names another function than the path.</summary>
    WrongCommand,
    /// <summary>timestamp is not Unix milliseconds.</summary>
    BadTimestamp,
    /// <summary>nonce is not 1..128 characters.</summary>
    BadNonce,
    /// <summary>timestamp is outside the replay window of the terminal's clock.</summary>
    StaleTimestamp,
    /// <summary>The nonce was already used within the window.</summary>
    ReplayedNonce,
}

/// <summary>A refused signed call: its reason and, for /manage, its seed-004 status and HTTP status.</summary>
public sealed class SignedCallException(SignedCallFailure failure, string message)
    : ManagementException(StatusOf(failure), message, HttpStatusOf(failure))
{
    public SignedCallFailure Failure { get; } = failure;

    private static string StatusOf(SignedCallFailure failure) => failure switch
    {
        SignedCallFailure.UnknownAppId => ManagementStatus.UnknownAppId,
        SignedCallFailure.BadSignature => ManagementStatus.BadSignature,
        SignedCallFailure.StaleTimestamp => ManagementStatus.StaleTimestamp,
        SignedCallFailure.ReplayedNonce => ManagementStatus.ReplayedNonce,
        _ => ManagementStatus.BadParameter,
    };

    private static int HttpStatusOf(SignedCallFailure failure) => failure switch
    {
        SignedCallFailure.UnknownAppId or SignedCallFailure.BadSignature or SignedCallFailure.StaleTimestamp or SignedCallFailure.ReplayedNonce => 401,
        _ => 400,
    };
}

/// <summary>
/// Authenticates a signed call on the admin port, for <c>/manage/*</c> and the order routes alike: the body's top-level
/// parameters carry <c>appId</c> (a paired PC's key id), <c>signAlgo</c> (<c>HMAC</c> or <c>HMACSHA256</c>, both
/// HMAC-SHA256 as seed 004 spells it in different places), <c>timestamp</c> (Unix ms), <c>nonce</c> and <c>signature</c>
/// (seed 004 §2.5.3 over every other non-empty parameter, <see cref="RequestSignature"/>), and optionally <c>command</c>,
/// which must then name the function the path calls.
/// </summary>
public sealed class SignedCallAuthenticator(PairingStore pairings, ReplayGuard replay)
{
    public static readonly IReadOnlyList<string> Algorithms = ["HMAC", "HMACSHA256"];

    /// <summary>The calling PC; <see cref="SignedCallException"/> when the call is refused.</summary>
    /// <param name="body">The request body (a JSON object).</param>
    /// <param name="function">What the path calls (<c>list</c>, <c>wosign</c>, <c>addSignJob</c>, …).</param>
    /// <param name="commandRequired">True on /manage: <c>command</c> must be present (and equal <paramref name="function"/>).</param>
    public PairedPc Authenticate(JsonElement body, string function, bool commandRequired)
    {
        var top = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (body.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in body.EnumerateObject())
                if (!top.TryAdd(p.Name, p.Value))
                    throw new SignedCallException(SignedCallFailure.DuplicateParameter, $"{p.Name}: appears more than once in the body");
        }
        string? Text(string name) => top.TryGetValue(name, out var v) ? RequestSignature.Scalar(v) : null;
        string Get(string name) => Text(name) is { Length: > 0 } v ? v
            : throw new SignedCallException(SignedCallFailure.MissingParameter, $"{name}: required in a signed call");

        var keyId = Get("appId");
        var algorithm = Get("signAlgo");
        var signature = Get(RequestSignature.SignatureParameter);
        var timestamp = Get("timestamp");
        var nonce = Get("nonce");
        var command = commandRequired ? Get("command") : Text("command") ?? "";
        if (!Algorithms.Contains(algorithm, StringComparer.Ordinal))
            throw new SignedCallException(SignedCallFailure.BadAlgorithm, $"signAlgo: HMAC or HMACSHA256 (both HMAC-SHA256), found \"{algorithm}\"");
        var pc = pairings.Find(keyId) ?? throw new SignedCallException(SignedCallFailure.UnknownAppId, $"appId {keyId}: no PC is paired with this key id (revoked?)");
        if (!RequestSignature.Verify(body, pc.Secret, signature))
            throw new SignedCallException(SignedCallFailure.BadSignature, "signature does not match the parameters (seed 004 §2.5.3)");
        if (command.Length > 0 && command != function)
            throw new SignedCallException(SignedCallFailure.WrongCommand, $"command: the signed command is \"{command}\", the path says \"{function}\"");
        replay.Check(keyId, timestamp, nonce);
        return pc;
    }
}

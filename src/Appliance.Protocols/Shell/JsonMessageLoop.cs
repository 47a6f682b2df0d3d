using System.Text.Json;
using Appliance.Protocols.Wire;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.Shell;

/// <summary>How one protocol's WebSocket messages are framed and worded; the shell composes its answers from these.</summary>
/// <param name="CommandMember">The member naming the command (<c>cmdtype</c>, <c>function</c>).</param>
/// <param name="ParametersMember">The member carrying its parameters (<c>message</c>, <c>params</c>).</param>
/// <param name="CommandNoun">What the protocol calls a command, in Chinese, for "unknown …" (命令, 功能).</param>
/// <param name="MalformedJson">The Chinese lead of the answer to malformed JSON.</param>
/// <param name="TooLargeWording">The Chinese lead of the answer to a message over <paramref name="MaxMessageBytes"/>.</param>
/// <param name="TextOnly">Binary messages are refused (true) or read as JSON all the same (false).</param>
public sealed record MessageEnvelope(
    string CommandMember, string ParametersMember, string CommandNoun, string MalformedJson, string TooLargeWording, int MaxMessageBytes, bool TextOnly)
{
    public string TooLarge => $"{TooLargeWording} / message larger than {MaxMessageBytes} bytes";
    public string NotText => "只接受文本 JSON 消息 / only text JSON messages are accepted";
    public string MissingCommand => $"缺少 {CommandMember} / expected {{\"{CommandMember}\": NAME, \"{ParametersMember}\": {{...}}}}";
    public string Malformed(string detail) => $"{MalformedJson} / malformed JSON: {detail}";
    public string Unknown(string command) => $"未知{CommandNoun} / unknown {CommandMember} \"{command}\"";
}

/// <summary>What a protocol supplies to the shell: its framing, its error-answer shape, its handler table, and how a handler runs.</summary>
public interface IJsonMessageProtocol<THandler> where THandler : class
{
    MessageEnvelope Envelope { get; }

    CommandTable<THandler> Commands { get; }

    /// <summary>An error answer in the protocol's shape. <paramref name="command"/>: the name asked by, null when none could be read.</summary>
    OutgoingMessage Error(ErrorCode code, string message, string? command);

    /// <summary>
    /// Runs one handler and encodes its answer; null when there is nothing to answer now (a result that arrives later is
    /// pushed through the connection's send queue by whoever produces it). May throw: the shell answers the failure.
    /// </summary>
    /// <param name="command">The name as it arrived.</param>
    /// <param name="parameters">The parameters member as sent; default when absent.</param>
    ValueTask<OutgoingMessage?> RunAsync(THandler handler, string command, JsonElement parameters, CancellationToken cancel);
}

/// <summary>
/// Answers the JSON messages of one WebSocket connection as both ports do (docs/PROTOCOLS.md "Common rules"): every
/// error is an answer with its code, in the protocol's shape, and the connection stays usable — an oversized message
/// (8), a binary one where only text is read, malformed JSON, no command, an unknown command (1), and a handler's
/// failure (its code through <see cref="HandlerFailure"/>). Handlers return their answers; this loop queues them.
/// Bad input is logged through <see cref="BadInputLog"/> (once per client per minute); anything else that goes wrong
/// while answering is a fault of the terminal, logged with its stack and answered 3 — the connection stays either way.
/// </summary>
/// <param name="client">Who sent the messages (the remote address), for <see cref="BadInputLog"/>.</param>
public sealed class JsonMessageLoop<THandler>(IJsonMessageProtocol<THandler> protocol, MessageSocket socket, ILogger log,
    string client = "unknown", BadInputLog? badInput = null) where THandler : class
{
    private readonly BadInputLog _badInput = badInput ?? BadInputLog.Shared;

    /// <inheritdoc cref="MessageSocket.RunAsync"/>
    public Task RunAsync(CancellationToken aborted, Action? ending = null) => socket.RunAsync(ReceiveAsync, aborted, ending);

    private async ValueTask ReceiveAsync(ReceivedMessage message, CancellationToken cancel)
    {
        OutgoingMessage? answer;
        try
        {
            answer = await AnswerAsync(message, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !(e is OperationCanceledException && cancel.IsCancellationRequested))
        {
            // Last resort: a bug while answering must not drop the connection without a close frame.
            log.LogError(e, "Answering a WebSocket message from {Client} failed", client);
            answer = protocol.Error(ErrorCode.DeviceFailed, "内部错误 / internal error", null);
        }
        if (answer is { } a) socket.TrySend(a);
    }

    /// <summary>The answer to input the client got wrong, logged as bad input.</summary>
    private OutgoingMessage Refuse(ErrorCode code, string text, string? command)
    {
        _badInput.Warn(log, client, "WebSocket", text);
        return protocol.Error(code, text, command);
    }

    private async ValueTask<OutgoingMessage?> AnswerAsync(ReceivedMessage message, CancellationToken cancel)
    {
        var envelope = protocol.Envelope;
        if (message.TooLarge)
            return Refuse(ErrorCode.TooLarge, envelope.TooLarge, WireJson.StringMemberIn(message.Utf8.Span, envelope.CommandMember));
        if (!message.IsText && envelope.TextOnly)
            return Refuse(ErrorCode.BadRequest, envelope.NotText, null);
        JsonDocument document;
        try
        {
            document = WireJson.Parse(message.Utf8);
        }
        catch (JsonException e)
        {
            return Refuse(ErrorCode.BadRequest, envelope.Malformed(e.Message), WireJson.StringMemberIn(message.Utf8.Span, envelope.CommandMember));
        }
        using (document)
        {
            var root = document.RootElement;
            if (!WireJson.TryGetMember(root, envelope.CommandMember, out var named) || named.ValueKind != JsonValueKind.String || named.GetString() is not { Length: > 0 } command)
                return Refuse(ErrorCode.BadRequest, envelope.MissingCommand, null);
            if (protocol.Commands.Find(command) is not { } handler)
                return Refuse(ErrorCode.BadRequest, envelope.Unknown(command), command);
            WireJson.TryGetMember(root, envelope.ParametersMember, out var parameters);
            try
            {
                return await protocol.RunAsync(handler, command, parameters, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var (code, text) = HandlerFailure.Describe(e, cancel, log, command);
                return protocol.Error(code, text, command);
            }
        }
    }
}

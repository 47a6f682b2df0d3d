using System.Buffers;
using System.Text.Json;
using Appliance.Core.Capture;
using Appliance.Core.Session;

namespace Appliance.Core.Journal;

/// <summary>The on-disk form of one result: a UTF-8 JSON object, metadata first, images base64 last.</summary>
internal static class ResultFile
{
    public static byte[] Serialize(ResultRecord r)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("format", 1);
            w.WriteString("taskId", r.TaskId);
            w.WriteString("kind", r.Kind.ToString());
            w.WriteString("state", r.State.ToString());
            w.WriteString("origin", r.Requester.Origin);
            w.WriteString("peer", r.Requester.Peer);
            w.WriteString("connection", r.Requester.Connection);
            w.WriteString("finishedAt", r.FinishedAt);
            if (r.Failure is { } failure) w.WriteString("failure", failure.ToString());
            w.WriteString("message", r.Message);
            w.WriteStartObject("fields");
            foreach (var (key, value) in r.Fields) w.WriteString(key, value);
            w.WriteEndObject();
            w.WriteStartObject("images");
            foreach (var (key, value) in r.Images) w.WriteBase64String(key, value);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">The file is not a result this version can read.</exception>
    public static ResultRecord Deserialize(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            var root = document.RootElement;
            var fields = new List<KeyValuePair<string, string>>();
            foreach (var p in root.GetProperty("fields").EnumerateObject()) fields.Add(new(p.Name, p.Value.GetString() ?? ""));
            var images = new List<KeyValuePair<string, byte[]>>();
            foreach (var p in root.GetProperty("images").EnumerateObject()) images.Add(new(p.Name, p.Value.GetBytesFromBase64()));
            return new ResultRecord
            {
                TaskId = root.GetProperty("taskId").GetString() ?? throw new FormatException("taskId is null"),
                Kind = Enum.Parse<TaskKind>(root.GetProperty("kind").GetString() ?? ""),
                State = Enum.Parse<TaskState>(root.GetProperty("state").GetString() ?? ""),
                Requester = new TaskRequester(root.GetProperty("origin").GetString() ?? "", root.GetProperty("peer").GetString() ?? "",
                    root.GetProperty("connection").GetString() ?? ""),
                FinishedAt = root.GetProperty("finishedAt").GetDateTimeOffset(),
                Failure = root.TryGetProperty("failure", out var f) ? Enum.Parse<CaptureFailure>(f.GetString() ?? "") : null,
                Message = root.GetProperty("message").GetString() ?? "",
                Fields = fields,
                Images = images,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"not a journaled result: {e.Message}", e);
        }
    }
}

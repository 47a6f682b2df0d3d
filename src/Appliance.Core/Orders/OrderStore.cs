using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Appliance.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Appliance.Core.Orders;

/// <summary>An order and what happened to it so far.</summary>
public sealed record OrderView(SigningOrder Order, OrderProgress Progress)
{
    public string Id => Order.Id;
    public OrderState State => Progress.State;
}

/// <summary>
/// Orders on disk (<c>STATE_DIR/orders/ID/</c>): <c>order.json</c> written once, <c>progress.json</c> replaced atomically
/// on every move, <c>document-N.pdf</c> the document after N signers (0: as received), <c>signature-N.png</c> each signer's
/// handwriting. Everything is fsynced before the move is reported, so a restart finds each order where it was.
/// </summary>
public sealed class OrderStore
{
    private const string OrderFile = "order.json", ProgressFile = "progress.json", CorruptSuffix = ".corrupt";
    private readonly string _directory;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, OrderView> _orders = new(StringComparer.Ordinal);
    private long _bytes;

    public OrderStore(string stateDir, ILogger<OrderStore> log)
    {
        _directory = Path.Combine(stateDir, "orders");
        _log = log;
        Directory.CreateDirectory(_directory);
        Load();
    }

    public IReadOnlyList<OrderView> List() { lock (_gate) return [.. _orders.Values.OrderBy(o => o.Order.CreatedAt)]; }

    /// <summary>Bytes the orders' files take (documents, pictures, records).</summary>
    public long Bytes { get { lock (_gate) return _bytes; } }

    public OrderView? Find(string id) { lock (_gate) return _orders.GetValueOrDefault(id); }

    /// <summary>The caller's newest order with that order number.</summary>
    public OrderView? FindByNumber(string caller, string orderNumber)
    {
        lock (_gate)
            return _orders.Values.Where(o => o.Order.Caller == caller && o.Order.OrderNumber == orderNumber).MaxBy(o => o.Order.CreatedAt);
    }

    /// <summary>Stores a new order with its document (PDF orders) or data (DATA / HASH orders) as <c>document-0</c>.</summary>
    public OrderView Add(SigningOrder order, byte[] content, DateTimeOffset now)
    {
        var folder = Folder(order.Id);
        Directory.CreateDirectory(folder);
        Write(folder, ContentName(order, 0), content);
        var progress = new OrderProgress { UpdatedAt = now };
        Write(folder, ProgressFile, JsonSerializer.SerializeToUtf8Bytes(progress, OrderJson.Default.OrderProgress));
        // order.json last: a folder without it is an intake the crash interrupted, never acknowledged, removed at load.
        Write(folder, OrderFile, JsonSerializer.SerializeToUtf8Bytes(order, OrderJson.Default.SigningOrder));
        Interop.Libc.FsyncDirectory(_directory);
        var view = new OrderView(order, progress);
        lock (_gate)
        {
            _orders[order.Id] = view;
            _bytes += FolderBytes(folder);
        }
        return view;
    }

    /// <summary>Replaces an order's progress durably.</summary>
    public OrderView Save(string id, OrderProgress progress)
    {
        OrderView view;
        lock (_gate)
        {
            view = _orders[id] with { Progress = progress };
            Write(Folder(id), ProgressFile, JsonSerializer.SerializeToUtf8Bytes(progress, OrderJson.Default.OrderProgress));
            _orders[id] = view;
        }
        return view;
    }

    /// <summary>Stores a file of the order (a signed document, a signature picture) durably.</summary>
    public void WriteFile(string id, string name, byte[] bytes)
    {
        Write(Folder(id), name, bytes);
        lock (_gate) _bytes += bytes.Length;
    }

    /// <summary>Removes a file of the order that is no longer needed (a document a later signer's version replaced).</summary>
    public void DeleteFile(string id, string name)
    {
        var path = Path.Combine(Folder(id), name);
        var length = File.Exists(path) ? new FileInfo(path).Length : 0;
        File.Delete(path);
        lock (_gate) _bytes -= length;
    }

    /// <summary>Removes an order and its files (retention).</summary>
    public void Remove(string id)
    {
        var folder = Folder(id);
        var length = Directory.Exists(folder) ? FolderBytes(folder) : 0;
        // order.json first: a crash midway leaves a folder the next start recognises as incomplete and removes.
        File.Delete(Path.Combine(folder, OrderFile));
        Interop.Libc.FsyncDirectory(folder);
        Directory.Delete(folder, recursive: true);
        lock (_gate)
        {
            _orders.Remove(id);
            _bytes -= length;
        }
    }

    /// <summary>What a stored order must be for the desk to work with it (the JSON alone does not promise it).</summary>
    private static string? Invalid(string folder, SigningOrder order, OrderProgress progress)
    {
        if (order.Id != folder) return $"its id \"{order.Id}\" is not its folder's name";
        if (string.IsNullOrEmpty(order.Caller) || order.OrderNumber is null) return "no caller or order number";
        if (order.Signers is not { Count: >= 1 and <= OrderLimits.MaxSigners } || order.Signers.Any(s => s?.Name is null || s.Placements is null)) return "its signers are missing";
        if (progress.Signed is null || progress.SignersDone < 0 || progress.SignersDone > order.Signers.Count) return "its progress does not fit its signers";
        return null;
    }

    private static long FolderBytes(string folder) => new DirectoryInfo(folder).EnumerateFiles().Sum(f => f.Length);

    public byte[] ReadFile(string id, string name) => File.ReadAllBytes(Path.Combine(Folder(id), name));

    /// <summary>The document after <paramref name="signersDone"/> signers (0: as received); DATA / HASH orders: the data.</summary>
    public byte[] ReadContent(OrderView view, int signersDone) => ReadFile(view.Id, ContentName(view.Order, signersDone));

    public static string ContentName(SigningOrder order, int signersDone) =>
        order.Content == OrderContentKind.Pdf ? $"document-{signersDone.ToString(CultureInfo.InvariantCulture)}.pdf" : "data.bin";

    public static string SignatureName(int signer) => $"signature-{signer.ToString(CultureInfo.InvariantCulture)}.png";

    private string Folder(string id) => Path.Combine(_directory, id);

    private static void Write(string folder, string name, byte[] bytes)
    {
        PrivateFile.WriteAtomic(Path.Combine(folder, name), bytes);
        Interop.Libc.FsyncDirectory(folder);
    }

    private void Load()
    {
        foreach (var folder in Directory.EnumerateDirectories(_directory))
        {
            var name = Path.GetFileName(folder);
            if (name == "outbox" || name.EndsWith(CorruptSuffix, StringComparison.Ordinal)) continue;
            try
            {
                if (!File.Exists(Path.Combine(folder, OrderFile)))
                {
                    _log.LogWarning("orders: {Folder} has no order.json (an intake interrupted before it was acknowledged); removed", folder);
                    Directory.Delete(folder, recursive: true);
                    continue;
                }
                var order = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(folder, OrderFile)), OrderJson.Default.SigningOrder)
                    ?? throw new JsonException("empty");
                var progress = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(folder, ProgressFile)), OrderJson.Default.OrderProgress)
                    ?? throw new JsonException("empty");
                if (Invalid(name, order, progress) is { } why) throw new JsonException(why);
                _orders[order.Id] = new OrderView(order, progress);
                _bytes += FolderBytes(folder);
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                // One damaged order must not keep the terminal from starting: set aside for the operator, never read again.
                _log.LogError("orders: {Folder} is unreadable ({Reason}); moved aside as {Suffix}", folder, e.Message, CorruptSuffix);
                try { Directory.Move(folder, folder + CorruptSuffix); }
                catch (IOException) { }
            }
        }
        if (_orders.Count > 0)
            _log.LogInformation("orders {Directory}: {Count} orders, {Open} not ended", _directory, _orders.Count, _orders.Values.Count(o => !o.State.IsFinal()));
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(SigningOrder))]
[JsonSerializable(typeof(OrderProgress))]
internal sealed partial class OrderJson : JsonSerializerContext;

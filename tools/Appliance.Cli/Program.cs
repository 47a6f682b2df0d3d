using System.Text.Json;
using Appliance.Cli;

// appliance-cli: find signing terminals on the LAN, pair with one, and manage it with signed calls.
var commands = new Dictionary<string, (string Usage, Func<Args, CancellationToken, Task<int>> Run)>
{
    ["discover"] = ("discover [--timeout S]                 list terminals on the LAN (mDNS)", Commands.Discover),
    ["pair"] = ("pair --host H [--port P] [--name N] [--code C] [--fingerprint FP] [--insecure-http]   pair this PC (code shown on the terminal)", Commands.Pair),
    ["health"] = ("health --host H                          the terminal's /health", Commands.Health),
    ["unpair"] = ("unpair --host H                          forget this PC on the terminal and here", Commands.Unpair),
    ["list"] = ("list --host H                            paired PCs", (a, c) => Commands.Manage(a, "list", [], c)),
    ["revoke"] = ("revoke --host H --key KEYID              revoke another PC", (a, c) => Commands.Manage(a, "revoke", [new("keyId", a.Require("key"))], c)),
    ["tls"] = ("tls --host H                             the certificate in use", (a, c) => Commands.Manage(a, "tls", [], c)),
    ["csr"] = ("csr --host H                             a CSR for the device key (for your CA)", (a, c) => Commands.Manage(a, "csr", [], c)),
    ["import-cert"] = ("import-cert --host H --file PEM          install a certificate your CA issued", Commands.ImportCertificate),
    ["audit"] = ("audit --host H [--count N]               recent audit log lines", (a, c) => Commands.Manage(a, "audit", [new("count", a.Get("count") ?? "50")], c)),
    ["orders"] = ("orders --host H [--count N]              this PC's signing orders, newest first", (a, c) => Commands.Order(a, "orders/list", [new("count", a.Get("count") ?? "")], c)),
    ["order-start"] = ("order-start --host H --id SIGNID         put a waiting order's next signer on the counter", (a, c) => Commands.Order(a, "orders/start", [new("signid", a.Require("id"))], c)),
    ["order-revoke"] = ("order-revoke --host H --id SIGNID        withdraw an order not yet ended", (a, c) => Commands.Order(a, "orders/revoke", [new("signid", a.Require("id"))], c)),
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine("usage: appliance-cli COMMAND [options]");
    foreach (var (_, (usage, _)) in commands) Console.Error.WriteLine("  " + usage);
    Console.Error.WriteLine("pair and the management calls use https pinned to the certificate fingerprint (discovery's fp= or --fingerprint);");
    Console.Error.WriteLine("--insecure-http sends them, secret included, in cleartext: for closed test networks only.");
    return 2;
}
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
try
{
    return await command.Run(new Args(args[1..]), cancel.Token);
}
catch (CliException e)
{
    Console.Error.WriteLine($"appliance-cli: {e.Message}");
    return e.ExitCode;
}
catch (HttpRequestException e)
{
    Console.Error.WriteLine($"appliance-cli: cannot reach the terminal: {e.Message}");
    return 1;
}

namespace Appliance.Cli
{
    /// <summary>A refusal or failure the operator reads; <see cref="ExitCode"/> tells scripts which one.</summary>
    public class CliException(string message, Exception? inner = null, int exitCode = 1) : Exception(message, inner)
    {
        public int ExitCode { get; } = exitCode;
    }

    /// <summary>Exit codes besides 0 (done), 1 (failed), 2 (usage) and 3 (discover found nothing).</summary>
    public static class ExitCodes
    {
        public const int NoFingerprint = 4;
        public const int CertificateMismatch = 5;
    }

    public sealed class Args(string[] args)
    {
        public string? Get(string name)
        {
            for (var i = 0; i < args.Length - 1; i++) if (args[i] == "--" + name) return args[i + 1];
            return null;
        }

        public string Require(string name) => Get(name) ?? throw new CliException($"--{name} is required");

        /// <summary>A flag without a value, e.g. <c>--insecure-http</c>.</summary>
        public bool Has(string name) => args.Contains("--" + name, StringComparer.Ordinal);
    }

    internal static class Commands
    {
        private static CredentialStore Store => new(CredentialStore.DefaultPath);

        public static async Task<int> Discover(Args a, CancellationToken cancel)
        {
            var seconds = double.Parse(a.Get("timeout") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
            var found = await MdnsBrowser.BrowseAsync(TimeSpan.FromSeconds(seconds), cancel);
            foreach (var t in found)
                Console.WriteLine($"{t.Instance}\t{t.Host}\t{t.Address}\tuos={t.Get("uos")} cam={t.Get("cam")} adm={t.Get("adm")}\ttls={t.Get("tls")}\tstate={t.Get("state")}\tserial={t.Get("serial")}\tfp={t.Get("fp")}");
            return found.Count > 0 ? 0 : 3;
        }

        public static async Task<int> Pair(Args a, CancellationToken cancel)
        {
            var host = a.Require("host");
            var port = int.Parse(a.Get("port") ?? "38090", System.Globalization.CultureInfo.InvariantCulture);
            using var client = await PairingClient(a, host, port, cancel);
            var request = await client.PostAsync("pair/request", new Dictionary<string, string> { ["name"] = a.Get("name") ?? Environment.MachineName }, cancel);
            var requestId = Check(request).GetProperty("requestId").GetString()!;
            var code = a.Get("code");
            if (code is null)
            {
                Console.Write("Code shown on the terminal: ");
                code = Console.ReadLine()?.Trim() ?? "";
            }
            var confirm = Check(await client.PostAsync("pair/confirm", new Dictionary<string, string> { ["requestId"] = requestId, ["code"] = code }, cancel));
            // Only a pin that was checked in a handshake is remembered; a fingerprint read from a cleartext
            // answer proves nothing, so an --insecure-http pairing stays insecure-http until --fingerprint is given.
            var paired = new PairedTerminal(host, port, confirm.GetProperty("keyId").GetString()!, confirm.GetProperty("secret").GetString()!, client.PinnedFingerprint ?? "");
            Store.Put(paired);
            Console.WriteLine($"paired: key id {paired.KeyId}");
            return 0;
        }

        /// <summary>
        /// https pinned to the certificate seen in discovery (or given with --fingerprint): the secret must only
        /// ever go to that terminal. Without a pin, only an explicit --insecure-http allows plain http.
        /// </summary>
        private static async Task<TerminalClient> PairingClient(Args a, string host, int port, CancellationToken cancel)
        {
            if (a.Get("fingerprint") is { } given) return TerminalClient.Pinned(host, port, given);
            if (a.Has("insecure-http")) return Insecure(host, port);
            var seen = (await MdnsBrowser.BrowseAsync(TimeSpan.FromSeconds(3), cancel)).FirstOrDefault(t => t.Address?.ToString() == host || t.Host.TrimEnd('.') == host.TrimEnd('.'));
            var fingerprint = seen?.Get("fp");
            if (string.IsNullOrEmpty(fingerprint))
                throw new CliException($"no certificate fingerprint known for {host}: {(seen is null ? "discovery did not find it" : "its announcement carries no fp")}. " +
                    "Run appliance-cli discover and pass the terminal's fp= value as --fingerprint, or, on a closed test network only, --insecure-http (sends the pairing secret in cleartext)",
                    exitCode: ExitCodes.NoFingerprint);
            return TerminalClient.Pinned(host, port, fingerprint);
        }

        /// <summary>A management client for a paired terminal: its remembered pin, a --fingerprint, or an explicit --insecure-http.</summary>
        private static TerminalClient ManagementClient(Args a, PairedTerminal t)
        {
            var fingerprint = a.Get("fingerprint") ?? (t.Fingerprint.Length > 0 ? t.Fingerprint : null);
            if (fingerprint is not null) return TerminalClient.Pinned(t.Host, t.AdminPort, fingerprint);
            if (a.Has("insecure-http")) return Insecure(t.Host, t.AdminPort);
            throw new CliException($"no certificate fingerprint is known for {t.Host} (it was paired with --insecure-http): pass --fingerprint FP " +
                "(appliance-cli discover prints it as fp=), or --insecure-http again on a closed test network", exitCode: ExitCodes.NoFingerprint);
        }

        private static TerminalClient Insecure(string host, int port)
        {
            Console.Error.WriteLine($"appliance-cli: WARNING: --insecure-http: talking to {host}:{port} in cleartext; anyone on the network can read the secret and act as this PC or as the terminal. Use it on closed test networks only.");
            return TerminalClient.InsecureHttp(host, port);
        }

        public static async Task<int> Health(Args a, CancellationToken cancel)
        {
            var host = a.Require("host");
            var t = Store.Find(host);
            var port = t?.AdminPort ?? int.Parse(a.Get("port") ?? "38090", System.Globalization.CultureInfo.InvariantCulture);
            // /health carries no secret: without a pin it is read over plain http, as a browser would.
            var fingerprint = a.Get("fingerprint") ?? (t?.Fingerprint is { Length: > 0 } f ? f : null);
            using var client = fingerprint is null ? TerminalClient.InsecureHttp(host, port) : TerminalClient.Pinned(host, port, fingerprint);
            Console.WriteLine((await client.GetAsync("health", cancel)).GetRawText());
            return 0;
        }

        public static async Task<int> Unpair(Args a, CancellationToken cancel)
        {
            var code = await Manage(a, "unpair", [], cancel);
            if (code == 0) Store.Remove(a.Require("host"));
            return code;
        }

        public static Task<int> ImportCertificate(Args a, CancellationToken cancel) =>
            Manage(a, "import-cert", [new("certificate", File.ReadAllText(a.Require("file")))], cancel);

        public static async Task<int> Manage(Args a, string command, List<KeyValuePair<string, string>> parameters, CancellationToken cancel)
        {
            var host = a.Require("host");
            var t = Store.Find(host) ?? throw new CliException($"not paired with {host}: run appliance-cli pair --host {host}");
            using var client = ManagementClient(a, t);
            var answer = await client.ManageAsync(t, command, parameters, cancel);
            Console.WriteLine(JsonSerializer.Serialize(Check(answer), CliJson.Default.JsonElement));
            return 0;
        }

        /// <summary>An operator's order route: the orders this PC placed (docs/PROTOCOLS.md "Operator routes").</summary>
        public static async Task<int> Order(Args a, string route, List<KeyValuePair<string, string>> parameters, CancellationToken cancel)
        {
            var host = a.Require("host");
            var t = Store.Find(host) ?? throw new CliException($"not paired with {host}: run appliance-cli pair --host {host}");
            using var client = ManagementClient(a, t);
            var answer = await client.OrderAsync(t, route, parameters, cancel);
            Console.WriteLine(JsonSerializer.Serialize(Check(answer), CliJson.Default.JsonElement));
            return 0;
        }

        private static JsonElement Check(JsonElement answer)
        {
            var status = answer.TryGetProperty("status", out var s) ? s.GetString() : null;
            if (status != "200")
                throw new CliException($"{status}: {(answer.TryGetProperty("message", out var m) ? m.GetString() : answer.GetRawText())}");
            return answer.GetProperty("data");
        }
    }

    [System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
    [System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement))]
    internal sealed partial class CliJson : System.Text.Json.Serialization.JsonSerializerContext;
}

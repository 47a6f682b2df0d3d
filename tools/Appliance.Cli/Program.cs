using System.Text.Json;
using Appliance.Cli;

// appliance-cli: find signing terminals on the LAN, pair with one, and manage it with signed calls.
var commands = new Dictionary<string, (string Usage, Func<Args, CancellationToken, Task<int>> Run)>
{
    ["discover"] = ("discover [--timeout S]                 list terminals on the LAN (mDNS)", Commands.Discover),
    ["pair"] = ("pair --host H [--port P] [--name N] [--code C] [--fingerprint FP]   pair this PC (code shown on the terminal)", Commands.Pair),
    ["health"] = ("health --host H                          the terminal's /health", Commands.Health),
    ["unpair"] = ("unpair --host H                          forget this PC on the terminal and here", Commands.Unpair),
    ["list"] = ("list --host H                            paired PCs", (a, c) => Commands.Manage(a, "list", [], c)),
    ["revoke"] = ("revoke --host H --key KEYID              revoke another PC", (a, c) => Commands.Manage(a, "revoke", [new("keyId", a.Require("key"))], c)),
    ["tls"] = ("tls --host H                             the certificate in use", (a, c) => Commands.Manage(a, "tls", [], c)),
    ["csr"] = ("csr --host H                             a CSR for the device key (for your CA)", (a, c) => Commands.Manage(a, "csr", [], c)),
    ["import-cert"] = ("import-cert --host H --file PEM          install a certificate your CA issued", Commands.ImportCertificate),
    ["audit"] = ("audit --host H [--count N]               recent audit log lines", (a, c) => Commands.Manage(a, "audit", [new("count", a.Get("count") ?? "50")], c)),
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine("usage: appliance-cli COMMAND [options]");
    foreach (var (_, (usage, _)) in commands) Console.Error.WriteLine("  " + usage);
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
    return 1;
}
catch (HttpRequestException e)
{
    Console.Error.WriteLine($"appliance-cli: cannot reach the terminal: {e.Message}");
    return 1;
}

namespace Appliance.Cli
{
    public sealed class CliException(string message) : Exception(message);

    public sealed class Args(string[] args)
    {
        public string? Get(string name)
        {
            for (var i = 0; i < args.Length - 1; i++) if (args[i] == "--" + name) return args[i + 1];
            return null;
        }

        public string Require(string name) => Get(name) ?? throw new CliException($"--{name} is required");
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
            // Pin the certificate seen in discovery: the secret must only ever go to that terminal.
            var fingerprint = a.Get("fingerprint");
            if (fingerprint is null)
            {
                var seen = (await MdnsBrowser.BrowseAsync(TimeSpan.FromSeconds(3), cancel)).FirstOrDefault(t => t.Address?.ToString() == host || t.Host.TrimEnd('.') == host.TrimEnd('.'));
                fingerprint = seen?.Get("fp");
                if (seen is null) Console.Error.WriteLine($"appliance-cli: {host} was not found by discovery; pass --fingerprint to pin its certificate");
            }
            using var client = new TerminalClient(host, port, string.IsNullOrEmpty(fingerprint) ? null : fingerprint);
            var request = await client.PostAsync("pair/request", new Dictionary<string, string> { ["name"] = a.Get("name") ?? Environment.MachineName }, cancel);
            var requestId = Check(request).GetProperty("requestId").GetString()!;
            var code = a.Get("code");
            if (code is null)
            {
                Console.Write("Code shown on the terminal: ");
                code = Console.ReadLine()?.Trim() ?? "";
            }
            var confirm = Check(await client.PostAsync("pair/confirm", new Dictionary<string, string> { ["requestId"] = requestId, ["code"] = code }, cancel));
            var paired = new PairedTerminal(host, port, confirm.GetProperty("keyId").GetString()!, confirm.GetProperty("secret").GetString()!,
                fingerprint ?? confirm.GetProperty("fingerprint").GetString() ?? "");
            Store.Put(paired);
            Console.WriteLine($"paired: key id {paired.KeyId}");
            return 0;
        }

        public static async Task<int> Health(Args a, CancellationToken cancel)
        {
            var host = a.Require("host");
            var t = Store.Find(host);
            using var client = new TerminalClient(host, t?.AdminPort ?? int.Parse(a.Get("port") ?? "38090", System.Globalization.CultureInfo.InvariantCulture), t?.Fingerprint);
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
            using var client = new TerminalClient(host, t.AdminPort, t.Fingerprint);
            var answer = await client.ManageAsync(t, command, parameters, cancel);
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

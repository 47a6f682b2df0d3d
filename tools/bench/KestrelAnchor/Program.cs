// The minimal app a cold start is compared with: Kestrel on loopback, one route, nothing else.
var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 48190;
var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.ListenLocalhost(port));
var app = builder.Build();
app.MapGet("/health", () => "ok");
app.Run();

using System.Text.Json;
using System.Text.Json.Serialization;
using Appliance.Protocols.Admin;
using Appliance.Protocols.Http;
using Appliance.Protocols.Wire;
using Microsoft.AspNetCore.Http;

namespace Appliance.SimBoard;

public sealed record SimCardRequest(string? Preset);
public sealed record SimFingerRequest(int? Person, int? Finger);
public sealed record SimBarcodeRequest(string? Code);
public sealed record SimSwipeRequest(string? Track1, string? Track2, string? Track3);
/// <param name="Camidx">Which camera, when <paramref name="Device"/> is <c>camera</c> (default 0).</param>
public sealed record SimPlugRequest(string? Device, int? Camidx);
public sealed record SimDeviceResult(string Device, string Action, string Detail);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SimCardRequest))]
[JsonSerializable(typeof(SimFingerRequest))]
[JsonSerializable(typeof(SimBarcodeRequest))]
[JsonSerializable(typeof(SimSwipeRequest))]
[JsonSerializable(typeof(SimPlugRequest))]
[JsonSerializable(typeof(SimDeviceResult))]
[JsonSerializable(typeof(SimGpioState))]
[JsonSerializable(typeof(SimVoiceState))]
public sealed partial class SimDeviceJson : JsonSerializerContext;

/// <summary>
/// <c>POST /sim/card</c> {"preset"} · <c>DELETE /sim/card</c> · <c>POST /sim/finger</c> {"person","finger"} ·
/// <c>DELETE /sim/finger</c> · <c>POST /sim/barcode</c> {"code"} · <c>POST /sim/swipe</c> {"track1","track2","track3"} ·
/// <c>POST /sim/unplug</c>, <c>POST /sim/plug</c> {"device"} (and {"device":"camera","camidx"}): what a person does to
/// the sim board's peripherals.
/// </summary>
public sealed class SimDeviceEndpoints(ISimPeripherals sim, ISimCameras? cameras = null) : IAdminRoutes
{
    private const string Camera = "camera";

    public void Map(Router router) => router
        .MapPost("/sim/card", PlaceCard)
        .Map(HttpMethods.Delete, "/sim/card", _ => Done(_, "idCard", "removed", "card taken off the reader"))
        .MapPost("/sim/finger", PlaceFinger)
        .Map(HttpMethods.Delete, "/sim/finger", _ => Done(_, "fingerprint", "removed", "finger lifted"))
        .MapPost("/sim/barcode", Scan)
        .MapPost("/sim/swipe", Swipe)
        .MapPost("/sim/unplug", c => Plug(c, false))
        .MapPost("/sim/plug", c => Plug(c, true));

    private Task Done(HttpContext context, string device, string action, string detail)
    {
        if (action == "removed" && device == "idCard") sim.RemoveCard();
        if (action == "removed" && device == "fingerprint") sim.RemoveFinger();
        return AdminResults.Json(context, new SimDeviceResult(device, action, detail), SimDeviceJson.Default.SimDeviceResult);
    }

    private async Task PlaceCard(HttpContext context)
    {
        var request = await Read(context, SimDeviceJson.Default.SimCardRequest).ConfigureAwait(false);
        if (request is null) return;
        var preset = string.IsNullOrWhiteSpace(request.Preset) ? "mainland" : request.Preset.Trim();
        try
        {
            sim.PlaceCard(preset);
        }
        catch (ArgumentException e)
        {
            await AdminResults.Error(context, 400, e.Message).ConfigureAwait(false);
            return;
        }
        await AdminResults.Json(context, new SimDeviceResult("idCard", "placed", preset), SimDeviceJson.Default.SimDeviceResult).ConfigureAwait(false);
    }

    private async Task PlaceFinger(HttpContext context)
    {
        var request = await Read(context, SimDeviceJson.Default.SimFingerRequest).ConfigureAwait(false);
        if (request is null) return;
        var person = request.Person ?? 1;
        var finger = request.Finger ?? 2;
        if (person < 1 || finger is < 1 or > 10)
        {
            await AdminResults.Error(context, 400, "person must be ≥ 1 and finger 1..10").ConfigureAwait(false);
            return;
        }
        sim.PlaceFinger(person, finger);
        await AdminResults.Json(context, new SimDeviceResult("fingerprint", "placed", $"person {person} finger {finger}"), SimDeviceJson.Default.SimDeviceResult).ConfigureAwait(false);
    }

    private async Task Scan(HttpContext context)
    {
        var request = await Read(context, SimDeviceJson.Default.SimBarcodeRequest).ConfigureAwait(false);
        if (request is null) return;
        if (string.IsNullOrEmpty(request.Code) || request.Code.Any(char.IsControl))
        {
            await AdminResults.Error(context, 400, "code must be non-empty printable text").ConfigureAwait(false);
            return;
        }
        sim.Scan(request.Code);
        await AdminResults.Json(context, new SimDeviceResult("barcode", "scanned", request.Code), SimDeviceJson.Default.SimDeviceResult).ConfigureAwait(false);
    }

    private async Task Swipe(HttpContext context)
    {
        var request = await Read(context, SimDeviceJson.Default.SimSwipeRequest).ConfigureAwait(false);
        if (request is null) return;
        sim.Swipe(request.Track1 ?? "", request.Track2 ?? "", request.Track3 ?? "");
        await AdminResults.Json(context, new SimDeviceResult("magStripe", "swiped", ""), SimDeviceJson.Default.SimDeviceResult).ConfigureAwait(false);
    }

    private async Task Plug(HttpContext context, bool plugged)
    {
        var request = await Read(context, SimDeviceJson.Default.SimPlugRequest).ConfigureAwait(false);
        if (request is null) return;
        var action = plugged ? "plugged" : "unplugged";
        if (string.Equals(request.Device, Camera, StringComparison.OrdinalIgnoreCase))
        {
            var camidx = request.Camidx ?? 0;
            if (cameras is null || !cameras.SetPlugged(camidx, plugged))
            {
                var known = cameras is null || cameras.Indexes.Count == 0 ? "none" : string.Join(", ", cameras.Indexes);
                await AdminResults.Error(context, 400, $"camidx {camidx} is not a simulated camera (simulated: {known})").ConfigureAwait(false);
                return;
            }
            await AdminResults.Json(context, new SimDeviceResult(Camera, action, $"camidx {camidx}"), SimDeviceJson.Default.SimDeviceResult).ConfigureAwait(false);
            return;
        }
        if (request.Device is null || !sim.SetPlugged(request.Device, plugged))
        {
            await AdminResults.Error(context, 400, "device must be idCard, fingerprint, barcode, magStripe or camera").ConfigureAwait(false);
            return;
        }
        await AdminResults.Json(context, new SimDeviceResult(request.Device, action, ""), SimDeviceJson.Default.SimDeviceResult).ConfigureAwait(false);
    }

    /// <summary>Reads the JSON body (empty = {}); answers 400 and returns null when it is not JSON of the right shape.</summary>
    private static async Task<T?> Read<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(body)) body = "{}";
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("null body");
        }
        catch (JsonException e)
        {
            await AdminResults.Error(context, 400, $"body is {WireJson.Describe(e)}").ConfigureAwait(false);
            return null;
        }
    }
}

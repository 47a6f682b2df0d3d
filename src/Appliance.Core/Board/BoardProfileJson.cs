using System.Text.Json.Serialization;

namespace Appliance.Core.Board;

/// <summary>Source-generated JSON for board profiles: camelCase keys, comments allowed, unknown keys rejected so typos surface.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    WriteIndented = true)]
[JsonSerializable(typeof(BoardProfile))]
internal sealed partial class BoardProfileJson : JsonSerializerContext;

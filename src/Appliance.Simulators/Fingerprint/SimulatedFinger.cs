using System.Buffers.Binary;

namespace Appliance.Simulators.Fingerprint;

/// <summary>
/// A synthetic finger: a seed fixes its ridge pattern (core, ridge period, whorl/loop shape, warps) and its
/// minutiae. Each capture places it slightly differently on the window (shift, rotation, pressure), so two
/// captures of one finger look alike but not identical, and different fingers differ.
/// </summary>
public sealed class SimulatedFinger
{
    private const int W = 256, H = 288;
    private readonly int _seed;
    private readonly (double X, double Y, double Angle)[] _minutiae;
    private readonly double _coreX, _coreY, _period, _aspect, _twist, _warpA, _warpF, _warpP, _loopBias;

    public SimulatedFinger(int seed)
    {
        _seed = seed;
        var r = new Random(seed * 7919 + 17);
        _coreX = 110 + r.NextDouble() * 36;
        _coreY = 120 + r.NextDouble() * 50;
        _period = 7.5 + r.NextDouble() * 3;
        _aspect = 0.75 + r.NextDouble() * 0.4;
        _twist = (r.NextDouble() - 0.5) * 3;
        _warpA = 2 + r.NextDouble() * 5;
        _warpF = 0.02 + r.NextDouble() * 0.04;
        _warpP = r.NextDouble() * Math.PI * 2;
        _loopBias = r.NextDouble() * 12;
        _minutiae = new (double, double, double)[36 + r.Next(10)];
        for (var i = 0; i < _minutiae.Length; i++)
            _minutiae[i] = (40 + r.NextDouble() * (W - 80), 40 + r.NextDouble() * (H - 80), r.NextDouble() * Math.PI * 2);
    }

    public int Seed => _seed;

    /// <summary>Finger <paramref name="index"/> (1..10) of simulated person <paramref name="person"/>.</summary>
    public static SimulatedFinger Of(int person, int index) => new(person * 10 + index);

    /// <summary>The right index finger of the holder of fictional card <paramref name="holder"/>.</summary>
    public static SimulatedFinger ForHolder(int holder) => Of(holder, 2);

    private (double Dx, double Dy, double Rot) Placement(int capture)
    {
        var r = new Random(_seed * 31 + capture * 1009 + 3);
        return ((r.NextDouble() - 0.5) * 12, (r.NextDouble() - 0.5) * 12, (r.NextDouble() - 0.5) * 0.12);
    }

    /// <summary>The module's 512-byte template of capture <paramref name="capture"/>: magic 0x03, count, then x,y (LE u16), angle, kind per minutia.</summary>
    public byte[] Template(int capture)
    {
        var (dx, dy, rot) = Placement(capture);
        var r = new Random(_seed * 131 + capture * 7 + 1);
        var points = new List<(int X, int Y, int A)>();
        var cos = Math.Cos(rot);
        var sin = Math.Sin(rot);
        foreach (var (x, y, a) in _minutiae)
        {
            if (r.NextDouble() < 0.1) continue; // missed by this capture
            var px = _coreX + (x - _coreX) * cos - (y - _coreY) * sin + dx + (r.NextDouble() - 0.5) * 3;
            var py = _coreY + (x - _coreX) * sin + (y - _coreY) * cos + dy + (r.NextDouble() - 0.5) * 3;
            points.Add(((int)px, (int)py, (int)(((a + rot) % (2 * Math.PI) + 2 * Math.PI) % (2 * Math.PI) / (2 * Math.PI) * 256) & 0xFF));
        }
        for (var i = r.Next(3); i > 0; i--) // spurious minutiae from skin noise
            points.Add((40 + r.Next(W - 80), 40 + r.Next(H - 80), r.Next(256)));
        var template = new byte[512];
        template[0] = 0x03;
        template[1] = (byte)Math.Min(points.Count, 80);
        for (var i = 0; i < template[1]; i++)
        {
            var o = 2 + i * 6;
            BinaryPrimitives.WriteUInt16LittleEndian(template.AsSpan(o), (ushort)Math.Clamp(points[i].X, 0, W - 1));
            BinaryPrimitives.WriteUInt16LittleEndian(template.AsSpan(o + 2), (ushort)Math.Clamp(points[i].Y, 0, H - 1));
            template[o + 4] = (byte)points[i].A;
            template[o + 5] = (byte)(i % 2); // ending / bifurcation
        }
        return template;
    }

    /// <summary>The 256x288 8-bit image of capture <paramref name="capture"/>: dark ridges on white, white outside the fingertip.</summary>
    public byte[] Image(int capture)
    {
        var (dx, dy, rot) = Placement(capture);
        var noise = new Random(_seed * 17 + capture);
        var pixels = new byte[W * H];
        var cos = Math.Cos(-rot);
        var sin = Math.Sin(-rot);
        var cx = W / 2.0 + dx;
        var cy = H / 2.0 + dy + 10;
        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x++)
            {
                // The fingertip's outline: an ellipse, flattened at the bottom edge of the window.
                var ex = (x - cx) / 108.0;
                var ey = (y - cy) / 140.0;
                var edge = ex * ex + ey * ey;
                if (edge > 1)
                {
                    pixels[y * W + x] = 255;
                    continue;
                }
                // Finger coordinates (undo the placement).
                var fx = _coreX + (x - _coreX - dx) * cos - (y - _coreY - dy) * sin;
                var fy = _coreY + (x - _coreX - dx) * sin + (y - _coreY - dy) * cos;
                var ux = fx - _coreX;
                var uy = (fy - _coreY) / _aspect;
                var radius = Math.Sqrt(ux * ux + uy * uy);
                var theta = Math.Atan2(uy, ux);
                // Concentric ridges around the core, twisted into a whorl/loop, with slow warps.
                var phase = 2 * Math.PI * (radius + _loopBias * Math.Sin(theta) + _warpA * Math.Sin(fy * _warpF + _warpP)) / _period
                    + _twist * theta;
                var ridge = Math.Cos(phase);
                var pressure = 1 - edge * edge; // lighter towards the rim
                var v = 255 - (ridge > -0.1 ? 200 * pressure * (0.6 + 0.4 * ridge) : 0) + (noise.NextDouble() - 0.5) * 30;
                pixels[y * W + x] = (byte)Math.Clamp(v, 0, 255);
            }
        }
        return pixels;
    }

    /// <summary>
    /// How the simulated module compares two templates: for every pair of minutiae taken as anchors, align the
    /// sets (rotation from the anchors' angles, translation from their positions) and count minutiae that land
    /// within 6 px and 17° of a partner; the best count, scaled like an AS608 score (0..~300, 50 = match).
    /// </summary>
    public static int MatchScore(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var pa = Points(a);
        var pb = Points(b);
        if (pa.Count < 4 || pb.Count < 4) return 0;
        var best = 0;
        foreach (var (ax, ay, aa) in pa)
        {
            foreach (var (bx, by, ba) in pb)
            {
                var rot = ba - aa;
                var cos = Math.Cos(rot);
                var sin = Math.Sin(rot);
                var count = 0;
                foreach (var (x, y, ang) in pa)
                {
                    var tx = bx + (x - ax) * cos - (y - ay) * sin;
                    var ty = by + (x - ax) * sin + (y - ay) * cos;
                    foreach (var (qx, qy, qa) in pb)
                    {
                        var d2 = (qx - tx) * (qx - tx) + (qy - ty) * (qy - ty);
                        var da = Math.Abs(Math.IEEERemainder(ang + rot - qa, 2 * Math.PI));
                        if (d2 < 36 && da < 0.3)
                        {
                            count++;
                            break;
                        }
                    }
                }
                best = Math.Max(best, count);
            }
        }
        // The anchor pair always agrees with itself: it is not evidence.
        return Math.Max(0, best - 1) * 300 / Math.Min(pa.Count, pb.Count);
    }

    private static List<(double X, double Y, double A)> Points(ReadOnlySpan<byte> template)
    {
        var list = new List<(double, double, double)>();
        if (template.Length < 2 || template[0] != 0x03) return list;
        var n = Math.Min(template[1], (template.Length - 2) / 6);
        for (var i = 0; i < n; i++)
        {
            var o = 2 + i * 6;
            list.Add((BinaryPrimitives.ReadUInt16LittleEndian(template[o..]), BinaryPrimitives.ReadUInt16LittleEndian(template[(o + 2)..]),
                template[o + 4] / 256.0 * 2 * Math.PI));
        }
        return list;
    }
}

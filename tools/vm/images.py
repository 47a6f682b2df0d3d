"""Just enough image reading for the VM test on the standard library: QEMU's PPM screendumps and
8-bit non-interlaced PNGs (the firmware's signature)."""
import struct
import zlib


def read_ppm(path):
    """Returns (width, height, rgb bytes) of a binary P6 file."""
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or int(fields[3]) != 255:
        raise ValueError(f"{path}: not an 8-bit P6 PPM")
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[pos + 1:pos + 1 + width * height * 3]


def read_png(data):
    """Returns (width, height, channels, pixel rows as bytes) of an 8-bit gray/RGB/RGBA/gray-alpha PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(color)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, color type {color}, interlace {interlace}")
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous, pos = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upper_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else upper_left)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def count_ink(png_bytes):
    """Pixels a signature drew: opaque ones in an image with alpha, dark ones otherwise."""
    width, height, channels, rows = read_png(png_bytes)
    ink = 0
    for row in rows:
        for x in range(width):
            px = row[x * channels:(x + 1) * channels]
            if channels in (2, 4):
                ink += px[-1] > 128
            else:
                ink += sum(px) / len(px) < 96
    return width, height, ink


def differing_pixels(a, b, region=None):
    """Counts pixels that differ between two same-sized RGB screendumps, optionally in (x, y, w, h)."""
    (wa, ha, pa), (wb, hb, pb) = a, b
    if (wa, ha) != (wb, hb):
        return wa * ha
    x0, y0, w, h = region or (0, 0, wa, ha)
    n = 0
    for y in range(max(0, y0), min(ha, y0 + h)):
        start, end = (y * wa + max(0, x0)) * 3, (y * wa + min(wa, x0 + w)) * 3
        if pa[start:end] != pb[start:end]:
            ra, rb = pa[start:end], pb[start:end]
            n += sum(1 for i in range(0, len(ra), 3) if ra[i:i + 3] != rb[i:i + 3])
    return n

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""png_probe.py PNG COLORS X0 Y0 X1 Y1: the rows of the box [X0,X1)x[Y0,Y1)
of an 8-bit RGB or RGBA PNG (what Chromium writes) holding pixels within
40 (sum of |difference| over R, G, B) of one of COLORS (#rrggbb, comma
separated). Prints
"COUNT MEDIAN_Y" or "0 -". Needs only zlib and struct."""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                sys.exit(f"{path}: PNG type {ctype}/{depth} bits not handled")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


png, color, x0, y0, x1, y1 = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7])
wants = [[int(c[k:k + 2], 16) for k in (1, 3, 5)] for c in color.split(",")]
w, h, bpp, rows = read_png(png)
hits = []
for y in range(max(0, y0), min(h, y1)):
    r = rows[y]
    for x in range(max(0, x0), min(w, x1)):
        px = r[x * bpp:x * bpp + 3]
        if any(sum(abs(px[k] - want[k]) for k in range(3)) <= 40 for want in wants):
            hits.append(y)
hits.sort()
print(f"{len(hits)} {hits[len(hits) // 2]}" if hits else "0 -")

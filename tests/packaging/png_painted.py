#!/usr/bin/env python3
"""png_painted.py FILE WIDTH HEIGHT: exits 0 when FILE is a WIDTHxHEIGHT PNG with a painted window on it
(many colours, no colour covering nearly all of it), else prints why and exits 1. Standard library only."""
import struct
import sys
import zlib


def decode(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG')
    pos, idat, header = 8, b'', None
    while pos < len(data):
        (length,) = struct.unpack('>I', data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b'IHDR':
            header = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
    width, height, depth, colour, _, _, interlace = header
    channels = {2: 3, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f'unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})')
    raw, stride = zlib.decompress(idat), width * channels
    rows, prev, at = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, channels, rows


def main():
    path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    width, height, channels, rows = decode(path)
    if (width, height) != (want_w, want_h):
        print(f'{path}: {width}x{height}, expected {want_w}x{want_h}')
        return 1
    counts = {}
    for row in rows[::2]:
        for x in range(0, width * channels, channels * 2):
            key = bytes(row[x:x + 3])
            counts[key] = counts.get(key, 0) + 1
    total = sum(counts.values())
    top = max(counts.values()) / total
    print(f'{path}: {width}x{height}, {len(counts)} colours, the commonest covers {top:.0%}')
    return 0 if len(counts) >= 64 and top < 0.9 else 1


if __name__ == '__main__':
    sys.exit(main())

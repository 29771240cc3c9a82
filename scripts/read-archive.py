#!/usr/bin/env python3
"""Reads a Chronoscope archive without Chronoscope (docs/ARCHIVE-FORMAT.md): checks every chunk's
SHA-256 and the whole file's, prints the manifest, then one line per event
(stream@revision id commit type content-type data-bytes). Damage goes to stderr with its offset.
Exit status: 0 intact, 1 damaged or not an archive. Python 3 standard library only."""
import hashlib, json, struct, sys, uuid

b = open(sys.argv[1], 'rb').read()
if b[:8] != b'CHRONARC' or struct.unpack_from('<I', b, 8)[0] != 1:
    sys.exit(f'{sys.argv[1]}: not a Chronoscope archive of format version 1')
damaged = False
end = len(b) - 16 if b[-8:] == b'CHRNEND1' else len(b)
if end == len(b):
    print(f'the file ends without its trailer at offset {len(b)}: truncated', file=sys.stderr); damaged = True

def field(p, at):
    n, = struct.unpack_from('<I', p, at)
    return p[at + 4:at + 4 + n], at + 4 + n

at, footer, footer_at = 16, None, None
while at < end:
    if end - at < 60 or b[at:at + 4] != b'CHNK':
        print(f'offset {at}: no chunk header here', file=sys.stderr); damaged = True
        nxt = b.find(b'CHNK', at + 1, end); at = nxt if nxt > 0 else end; continue
    magic, kind, codec, _, seq, stored, raw = struct.unpack_from('<4sBBHIQQ', b, at)
    digest, payload = b[at + 28:at + 60], b[at + 60:at + 60 + stored]
    if at + 60 + stored > end or hashlib.sha256(b[at:at + 28] + payload).digest() != digest:
        print(f'chunk {seq} at offset {at}: damaged', file=sys.stderr); damaged = True
        nxt = b.find(b'CHNK', at + 1, end); at = nxt if nxt > 0 else end; continue
    if kind == 1:
        print(json.dumps(json.loads(payload)))
    elif kind == 4:
        footer, footer_at = json.loads(payload), at
    elif kind == 2:
        p = 0
        while p < len(payload):
            size, = struct.unpack_from('<I', payload, p); r = p + 4
            stream, r = field(payload, r)
            eid = uuid.UUID(bytes=payload[r:r + 16]); r += 16
            rev, commit, prepare, ticks = struct.unpack_from('<QQQq', payload, r); r += 32
            etype, r = field(payload, r); ctype, r = field(payload, r)
            data, r = field(payload, r); meta, r = field(payload, r)
            print(f'{stream.decode()}@{rev} {eid} {commit} {etype.decode()} {ctype.decode()} {len(data)}')
            p += 4 + size
    at += 60 + stored
if footer is None:
    print('no readable footer: the whole-file hash cannot be checked', file=sys.stderr); damaged = True
elif hashlib.sha256(b[:footer_at]).hexdigest() != footer['sha256']:
    print('the whole-file SHA-256 does not match the footer', file=sys.stderr); damaged = True
sys.exit(1 if damaged else 0)

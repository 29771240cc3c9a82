#!/usr/bin/env python3
"""Writes the seed corpus: each input is one flag byte, the before payload, a NUL, the after payload
(see fuzz_diff_and_decode.cpp). Seeds come from tests/data/diff (pairs, with id options where the
fixture has them) and tests/data/bad-payloads (each bad payload against a valid document)."""
import json, pathlib

here = pathlib.Path(__file__).resolve().parent
data = here.parent / 'data'
out = here / 'corpus' / 'fuzz_diff_and_decode'
out.mkdir(exist_ok=True)

def write(name, flags, before, after):
    (out / name).write_bytes(bytes([flags]) + before + b'\0' + after)

for before in sorted((data / 'diff').glob('*.before.json')):
    stem = before.name[:-len('.before.json')]
    after = before.with_name(stem + '.after.json')
    flags = 0
    options = before.with_name(stem + '.options.json')
    if options.exists():
        o = json.loads(options.read_text())
        flags |= 0x04 if o.get('idKeys') else 0
        flags |= 0x08 if o.get('reportMoves') is False else 0
    write('diff-' + stem, flags, before.read_bytes(), after.read_bytes())
    write('diff-' + stem + '-ctx', flags | 0x60, before.read_bytes(), after.read_bytes())

for bad in sorted((data / 'bad-payloads').iterdir()):
    payload = bad.read_bytes().replace(b'\0', b' ')  # a NUL would move the split
    write('bad-' + bad.name, 0x00, payload, b'{"a":1}')
    write('bad-' + bad.name + '-dupreject', 0x02, b'{"a":1}', payload)

write('binary-type', 0x01, bytes(range(1, 64)), b'{"a":1}')
write('deep-10000', 0x00, b'[' * 10000 + b']' * 10000, b'[]')
write('deep-1024', 0x00, b'[' * 1024 + b']' * 1024, b'[' * 1023 + b'1' + b']' * 1023)
write('ids-reorder-root', 0x14, b'[{"id":1},{"id":2},{"id":3},{"id":4}]', b'[{"id":4},{"id":2},{"id":9},{"id":1}]')
write('ids-duplicate', 0x04, b'[{"id":1},{"id":1}]', b'[{"id":1}]')
write('big-ints', 0x00, b'[9007199254740993,1,-0,1e400]', b'[9007199254740992,1.0,0,-1e400]')

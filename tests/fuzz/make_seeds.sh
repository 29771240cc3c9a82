#!/usr/bin/env bash
# Writes the seed corpora of the fuzz targets other than fuzz_diff_and_decode (make_seed_corpus.py):
# text seeds inline, protobuf replies with `protoc --encode` from the project's .proto files, descriptor
# sets with protoc, archives and an audit log made by the built chronoscope-cli against a sandbox.
# Usage: tests/fuzz/make_seeds.sh [build folder]   (run from anywhere; needs protoc and a built
# chronoscope-sandbox and chronoscope-cli). Findings are added to the corpora by hand, never by this.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
corpus=$here/corpus
seed() { mkdir -p "$corpus/$1"; printf '%s' "$3" >"$corpus/$1/$2"; }

# Connection strings: the grammar's corners (passwords here are placeholders, never real).
t=fuzz_connection_string
seed $t plain 'esdb://localhost:2113?tls=false'
seed $t user 'esdb://admin:changeit-pw@localhost:2113?tls=true&tlsVerifyCert=true'
seed $t discover 'esdb+discover://node1.example:2113,node2.example:2113,node3.example:2113?nodePreference=leader&maxDiscoverAttempts=3'
seed $t kurrent 'kurrentdb://user:s3cr%40t@[::1]:2113/?tls=false&keepAliveInterval=10000&defaultDeadline=5000'
seed $t certs 'kurrent+discover://host:2113?tlsCaFile=/etc/ca.pem&userCertFile=/a.pem&userKeyFile=/a.key'
seed $t bad-port 'esdb://localhost:99999'
seed $t bad-scheme 'http://localhost:2113'
seed $t empty-host 'esdb://:2113'
seed $t odd-query 'esdb://h?=&&tls=maybe&tls=false&unknown=1'

# Stream metadata ($$stream documents).
t=fuzz_stream_metadata
seed $t full '{"$maxAge":86400,"$maxCount":1000,"$tb":12,"$cacheControl":60,"$acl":{"$r":["ops","$admins"],"$w":"$admins","$d":[],"$mr":"$all","$mw":"$admins"},"custom":{"owner":"payments"}}'
seed $t empty '{}'
seed $t wrong-types '{"$maxAge":"1 day","$maxCount":-1,"$acl":{"$r":5}}'
seed $t huge-numbers '{"$maxAge":1e400,"$maxCount":18446744073709551616,"$tb":9223372036854775807}'
seed $t not-object '[1,2,3]'

# Reducer files: the project's own and the test data's, whole.
t=fuzz_reducer_file
mkdir -p "$corpus/$t"
cp "$root/tests/data/reducers/"*.reducer.json "$corpus/$t/"
seed $t inline-js '{"name":"inline","appliesTo":["order-*"],"projection":"fromAll().when({$init:function(){return {n:0}},$any:function(s,e){s.n++;return s}})","limits":{"timeoutMs":50,"memoryMb":16},"schemas":{"OrderPlaced":{"type":"object","required":["orderId"]}},"invariants":[{"name":"n","expression":"state.n >= 0","message":"negative"}],"templates":[{"name":"t","type":"OrderPlaced","data":{"orderId":"${orderId}"}}]}'
seed $t merge-upcaster '{"name":"m","upcasters":[{"type":"A","function":"function(e){return e}"}]}'

# JSON Schema + document (schema, NUL, document).
t=fuzz_json_schema
mkdir -p "$corpus/$t"
printf '%s\0%s' '{"type":"object","required":["amount"],"properties":{"amount":{"type":"number","minimum":0,"multipleOf":0.01},"currency":{"enum":["EUR","USD"]}},"additionalProperties":false}' '{"amount":12.5,"currency":"EUR"}' >"$corpus/$t/payment"
printf '%s\0%s' '{"definitions":{"n":{"$ref":"#/definitions/n"}},"$ref":"#/definitions/n"}' '{}' >"$corpus/$t/ref-cycle"
printf '%s\0%s' '{"type":"string","pattern":"^(a+)+$","minLength":1,"format":"date-time"}' '"aaaaaaaaaaaaaaaaaaaaaaaaaaaa!"' >"$corpus/$t/pattern"
printf '%s\0%s' '{"items":[{"type":"integer"}],"additionalItems":false,"if":{"minItems":2},"then":{"maxItems":3},"else":false}' '[1,2,3,4]' >"$corpus/$t/items-if"
printf '%s\0%s' '{"allOf":[{"anyOf":[{"const":1},{"not":{"type":"null"}}]},{"oneOf":[true,false]}],"dependencies":{"a":["b"]},"propertyNames":{"maxLength":3}}' '{"a":1}' >"$corpus/$t/combinators"
if [ -d /usr/share/json-schema-test-suite/tests/draft7 ]; then
  # A few of the official suite's cases, schema and first data item.
  python3 - "$corpus/$t" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
suite = pathlib.Path('/usr/share/json-schema-test-suite/tests/draft7')
for f in sorted(suite.glob('*.json'))[:40]:
    for i, case in enumerate(json.loads(f.read_text())[:2]):
        if case['tests']:
            data = json.dumps(case['schema']).encode() + b'\0' + json.dumps(case['tests'][0]['data']).encode()
            (out / f'suite-{f.stem}-{i}').write_bytes(data)
PY
fi

# Server replies, encoded by protoc from text format.
encode() { # target name message text
  mkdir -p "$corpus/$1"
  printf '%s' "$4" | protoc --proto_path="$root/proto" --encode="$3" streams.proto >"$corpus/$1/$2"
}
t=fuzz_read_resp
R=event_store.client.streams.ReadResp
ev='id { string: "8f2c11d5-0b6e-4a8c-9d3e-6f1a2b3c4d5e" } stream_identifier { stream_name: "order-17" } stream_revision: 3 prepare_position: 4711 commit_position: 4711 metadata { key: "type" value: "OrderPlaced" } metadata { key: "content-type" value: "application/json" } metadata { key: "created" value: "17828640000000000" } custom_metadata: "{\"$correlationId\":\"c\"}" data: "{\"orderId\":\"17\",\"total\":42.5}"'
encode $t event $R "event { event { $ev } commit_position: 4711 }"
encode $t link $R "event { event { $ev } link { id { structured { most_significant_bits: -8120434474766849908 least_significant_bits: 7000000000000000000 } } stream_identifier { stream_name: \"\$ce-order\" } stream_revision: 9 metadata { key: \"type\" value: \"\$>\" } data: \"3@order-17\" } no_position { } }"
encode $t not-found $R 'stream_not_found { stream_identifier { stream_name: "missing-1" } }'
encode $t checkpoint $R 'checkpoint { commit_position: 77 prepare_position: 77 timestamp { seconds: 1700000000 } }'
encode $t caught-up $R 'caught_up { stream_revision: 5 position { commit_position: 9 prepare_position: 9 } }'
encode $t fell-behind $R 'fell_behind { timestamp { seconds: 1 } }'
encode $t confirmation $R 'confirmation { subscription_id: "sub-1" }'
encode $t last-position $R 'last_stream_position: 123456789'
encode $t last-all $R 'last_all_stream_position { commit_position: 5 prepare_position: 5 }'
t=fuzz_append_resp
A=event_store.client.streams.AppendResp
encode $t success $A 'success { current_revision: 7 position { commit_position: 900 prepare_position: 900 } }'
encode $t success-no-stream $A 'success { no_stream { } no_position { } }'
encode $t wrong-version $A 'wrong_expected_version { current_revision: 7 expected_revision: 4 }'
encode $t wrong-version-old $A 'wrong_expected_version { current_revision_20_6_0: 7 expected_revision_20_6_0: 4 }'
encode $t wrong-no-stream $A 'wrong_expected_version { current_no_stream { } expected_stream_exists { } }'
encode $t empty $A ''

# Descriptor sets: two bytes of length, the set, NUL-free type pick, then a payload.
t=fuzz_protobuf
mkdir -p "$corpus/$t"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
includes=(--proto_path="$root/tests/data/protobuf")
[ -d /usr/include/google/protobuf ] && includes+=(--proto_path=/usr/include)
protoc "${includes[@]}" --include_imports --descriptor_set_out="$tmp/payments.desc" payments.proto legacy.proto
protoc "${includes[@]}" --descriptor_set_out="$tmp/legacy.desc" legacy.proto
python3 - "$tmp" "$corpus/$t" <<'PY'
import pathlib, sys
tmp, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
payloads = [b'', b'\x0a\x05hello\x10\x2a', b'\x08\x96\x01\x12\x03EUR\x1a\x00', b'\xff\xff\xff\xff\x0f']
for name in ('payments', 'legacy'):
    s = (tmp / f'{name}.desc').read_bytes()
    if len(s) > 0xffff:
        continue
    for i, p in enumerate(payloads):
        (out / f'{name}-{i}').write_bytes(len(s).to_bytes(2, 'big') + s + bytes([i]) + p)
PY

# Archives and an audit log, written by the real tools against a sandbox.
port_file=$tmp/sandbox.out
"$build/sandbox/chronoscope-sandbox" --insecure --listen 127.0.0.1:0 --demo-events 40 --frozen-clock 1000 >"$port_file" 2>&1 &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do grep -q 'listening on' "$port_file" && break; sleep 0.1; done
addr=$(sed -n 's/.*listening on \([^ ]*\).*/\1/p' "$port_file" | head -1)
conn="esdb://$addr?tls=false"
cli=$build/cli/chronoscope-cli
mkdir -p "$corpus/fuzz_archive" "$corpus/fuzz_audit_log"
stream=order-1 # the demo history's first order
"$cli" archive create --connect "$conn" --stream "$stream" --output "$corpus/fuzz_archive/stream.archive" >/dev/null
"$cli" archive create --connect "$conn" --stream '$all' --output "$corpus/fuzz_archive/all.archive" >/dev/null
head -c 3000 "$corpus/fuzz_archive/all.archive" >"$corpus/fuzz_archive/truncated.archive"
CHRONOSCOPE_PASSWORD= "$cli" append --connect "$conn" --stream fuzz-audit-1 --type Noted --data '{"n":1}' \
  --expected-revision no_stream --reason "fuzz seed" --audit-log "$tmp/audit.jsonl" >/dev/null
"$cli" append --connect "$conn" --stream fuzz-audit-1 --type Noted --data '{"n":2}' \
  --expected-revision 0 --reason "fuzz seed second" --audit-log "$tmp/audit.jsonl" >/dev/null
"$cli" append --connect "$conn" --stream fuzz-audit-1 --type Noted --data '{"n":3}' \
  --expected-revision 5 --reason "fuzz seed conflict" --audit-log "$tmp/audit.jsonl" >/dev/null || true
cp "$tmp/audit.jsonl" "$corpus/fuzz_audit_log/three-appends.jsonl"
head -c -7 "$tmp/audit.jsonl" >"$corpus/fuzz_audit_log/torn-last-line.jsonl"
echo "seeds written under $corpus"

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

# Projections replies: a kind byte (0 Statistics, 1 State, 2 Result), then the reply.
encode_kind() { # target name kind proto message text
  mkdir -p "$corpus/$1"
  { printf "\\x$3"; printf '%s' "$6" | protoc --proto_path="$root/proto" --proto_path=/usr/include --encode="$5" "$4"; } \
    >"$corpus/$1/$2"
}
t=fuzz_projection_replies
P=event_store.client.projections
encode_kind $t statistics 00 projections.proto $P.StatisticsResp 'details { coreProcessingTime: 12 version: 1 epoch: -1 effectiveName: "orders" writesInProgress: 0 readsInProgress: 1 partitionsCached: 3 status: "Running" stateReason: "" name: "orders" mode: "Continuous" position: "C:4711/P:4711" progress: 100 lastCheckpoint: "C:4000/P:4000" eventsProcessedAfterRestart: 812 checkpointStatus: "" bufferedEvents: 0 writePendingEventsBeforeCheckpoint: 0 writePendingEventsAfterCheckpoint: 0 }'
encode_kind $t statistics-faulted 00 projections.proto $P.StatisticsResp 'details { name: "bad" status: "Faulted (Enabled)/Paused" stateReason: "line 3: ReferenceError: x is not defined" mode: "Continuous" progress: -1 }'
encode_kind $t state-object 01 projections.proto $P.StateResp 'state { struct_value { fields { key: "count" value { number_value: 17 } } fields { key: "last" value { string_value: "order-17" } } fields { key: "tags" value { list_value { values { bool_value: true } values { null_value: NULL_VALUE } values { struct_value { } } } } } } }'
encode_kind $t state-empty 01 projections.proto $P.StateResp 'state { struct_value { } }'
encode_kind $t state-unset 01 projections.proto $P.StateResp ''
encode_kind $t result-number 02 projections.proto $P.ResultResp 'result { number_value: 42.5 }'
encode_kind $t result-list 02 projections.proto $P.ResultResp 'result { list_value { values { string_value: "a" } values { number_value: -1e300 } } }'

# PersistentSubscriptions replies: a kind byte (0 Read, 1 GetInfo, 2 List), then the reply.
t=fuzz_persistent_replies
S=event_store.client.persistent_subscriptions
pev='id { string: "8f2c11d5-0b6e-4a8c-9d3e-6f1a2b3c4d5e" } stream_identifier { stream_name: "order-17" } stream_revision: 3 prepare_position: 4711 commit_position: 4711 metadata { key: "type" value: "OrderPlaced" } metadata { key: "content-type" value: "application/json" } metadata { key: "created" value: "17828640000000000" } data: "{\"orderId\":\"17\"}"'
encode_kind $t read-event 00 persistent.proto $S.ReadResp "event { event { $pev } commit_position: 4711 retry_count: 2 }"
encode_kind $t read-link 00 persistent.proto $S.ReadResp "event { event { $pev } link { id { string: \"11111111-2222-3333-4444-555555555555\" } stream_identifier { stream_name: \"\$ce-order\" } stream_revision: 9 metadata { key: \"type\" value: \"\$>\" } data: \"3@order-17\" } no_position { } no_retry_count { } }"
encode_kind $t read-confirmation 00 persistent.proto $S.ReadResp 'subscription_confirmation { subscription_id: "order-17::workers" }'
info='event_source: "order-17" group_name: "workers" status: "Live" connections { from: "127.0.0.1:5000" username: "admin" average_items_per_second: 3 total_items: 40 count_since_last_measurement: 2 available_slots: 8 in_flight_messages: 2 connection_name: "w1" } average_per_second: 3 total_items: 40 count_since_last_measurement: 2 last_checkpointed_event_position: "12" last_known_event_position: "39" resolve_link_tos: true start_from: "0" message_timeout_milliseconds: 30000 extra_statistics: false max_retry_count: 10 live_buffer_size: 500 buffer_size: 500 read_batch_size: 20 check_point_after_milliseconds: 2000 min_check_point_count: 10 max_check_point_count: 1000 read_buffer_count: 0 retry_buffer_count: 1 total_in_flight_messages: 2 outstanding_messages_count: 2 named_consumer_strategy: "RoundRobin" max_subscriber_count: 0 parked_message_count: 5'
encode_kind $t info 01 persistent.proto $S.GetInfoResp "subscription_info { $info }"
encode_kind $t info-all-start 01 persistent.proto $S.GetInfoResp 'subscription_info { event_source: "$all" group_name: "g" start_from: "C:1234/P:1234" }'
encode_kind $t info-end 01 persistent.proto $S.GetInfoResp 'subscription_info { event_source: "s" group_name: "g" start_from: "-1" }'
encode_kind $t list 02 persistent.proto $S.ListResp "subscriptions { $info } subscriptions { event_source: \"\$all\" group_name: \"g2\" start_from: \"C:/P:\" }"

# Read-model mappings: a flag byte, then NUL-separated reducer file, row, state, PostgreSQL value text.
t=fuzz_readmodel_mapping
mkdir -p "$corpus/$t"
rm_seed() { printf "\\x$2"; printf '%s\0%s\0%s\0%s' "$3" "$4" "$5" "$6"; } 
pgmap='{"readModels":{"orders-table":{"backend":"postgresql","category":"order","endpoint":"orders-db","row":["SELECT order_id, status, total, customer_id, placed_at","FROM orders WHERE order_id = $1"],"scan":"SELECT order_id, status, total, customer_id, placed_at FROM orders","idColumn":"order_id","fields":{"state.status":"status","state.total":{"column":"total","type":"cents"},"state.customer.id":{"column":"customer_id","type":"string"},"state.placedAt":{"column":"placed_at","type":"timestamp","zone":"UTC"},"state.note":{"column":"note","null":"missing"},"state.n":{"column":"n","type":"integer"},"state.d":{"column":"d","type":"decimal"},"state.b":{"column":"b","type":"boolean"},"state.day":{"column":"day","type":"date"},"state.j":{"column":"j","type":"json"},"state.x":{"column":"x","type":"number"}}}}}'
pgrow='{"order_id":"42","status":"placed","total":"19.90","customer_id":7,"placed_at":"2026-03-01 10:00:00.500+01:00","note":null,"n":9007199254740993,"d":"1.50e2","b":"t","day":"2026-03-01","j":"{\"a\":[1,2]}","x":"2.5"}'
pgstate='{"state":{"status":"placed","total":19.9,"customer":{"id":"7"},"placedAt":"2026-03-01T09:00:00.5Z","n":9007199254740993,"d":150,"b":true,"day":"2026-03-01","j":{"a":[1,2]},"x":2.5}}'
rm_seed $t 00 "$pgmap" "$pgrow" "$pgstate" 't' >"$corpus/$t/postgres-fields"
redismap='{"readModels":{"order-summary":{"backend":"redis","category":"order","endpoint":"cache","key":"order-summary:{id}","value":"hash","transform":"(row) => ({ state: { status: row.status, total: row.total_cents / 100 } })"}}}'
rm_seed $t 10 "$redismap" '{"status":"shipped","total_cents":"1990"}' '{"state":{"status":"shipped","total":19.9}}' '{1,2,NULL,3}' >"$corpus/$t/redis-transform"
rm_seed $t 1e "$redismap" '{"status":"x"}' '{}' '{{"a \"b\"",NULL},{c,d}}' >"$corpus/$t/redis-transform-array"
rm_seed $t 0a '{"readModels":{"m":{"backend":"redis","category":"a*b","endpoint":"e","key":"k[*]:{id}?\\","value":"json"}}}' '{"v":"2026-01-02T03:04:05Z"}' '{}' '2026-01-02 03:04:05.123456+05:30' >"$corpus/$t/redis-glob-chars"
rm_seed $t 0c '{"readModels":{"m":{"backend":"postgresql","category":"order","endpoint":"e","row":"SELECT * FROM t WHERE id = $2","scan":"SELECT 1"}}}' '{}' '{}' '12345678901234567890.00100' >"$corpus/$t/refused-param"
rm_seed $t 07 '{"readModels":{"m":{"backend":"redis","category":"o","endpoint":"e","key":"k:{id}","transform":"(row) => {"}}}' '[]' 'null' '$1,234.50' >"$corpus/$t/refused-transform"
rm_seed $t 0d '{"readModels":{"m":{"backend":"postgresql","category":"o","endpoint":"e","row":"SELECT $1","scan":"SELECT 1","fields":{"a..b":"c"}}}}' '{"a":1e400}' '{"a":-0.0}' '[0:1]={1,2}' >"$corpus/$t/refused-path"
rm_seed $t 04 '{"readModels":[]}' '{"t":"-9999-01-01T00:00"}' '{"t":253402300799999}' '{"a":1}' >"$corpus/$t/refused-not-object"

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

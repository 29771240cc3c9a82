#!/usr/bin/env bash
# Checks chronoscope-sandbox's command-line contract.
set -euo pipefail
bin=$1
out=$(mktemp)
certs=$(mktemp -d)
trap 'rm -rf "$out" "$certs"' EXIT

# The help is read whole first: `grep -q` on a pipe stops reading early, and the help is longer
# than one stdio buffer, so the writer would die of SIGPIPE and fail the pipeline.
help=$("$bin" --help)
grep -q -- '--demo-events' <<<"$help" || { echo "--help does not list --demo-events"; exit 1; }
grep -q -- '--listen' <<<"$help" || { echo "--help does not list --listen"; exit 1; }
for opt in --db --run-projections --start-standard-projections --system-projections --cluster --read-only-replicas --stats-file --fault-file; do
  grep -q -- "$opt" <<<"$help" || { echo "--help does not list $opt"; exit 1; }
done
if "$bin" --listen 127.0.0.1:0 --insecure --run-projections=Some 2>"$out"; then echo "bad --run-projections accepted"; exit 1; fi
grep -q "run-projections" "$out" || { echo "no clear error for a bad --run-projections"; exit 1; }
dir=$(mktemp -d)
trap 'rm -f "$out"; rm -rf "$dir"' EXIT
echo "not a log" >"$dir/foreign.log"
if "$bin" --listen 127.0.0.1:0 --insecure --db "$dir/foreign.log" 2>"$out"; then echo "foreign --db file accepted"; exit 1; fi
grep -q "bad magic" "$out" || { echo "no clear error for a foreign --db file:"; cat "$out"; exit 1; }
if "$bin" --listen 127.0.0.1:0 --insecure --demo-events lots 2>"$out"; then echo "bad --demo-events accepted"; exit 1; fi
grep -q "demo-events" "$out" || { echo "no clear error for a bad --demo-events"; exit 1; }

"$bin" --listen 127.0.0.1:0 --insecure --demo-events 500 --stats-file "$dir/stats.json" >"$out" &
pid=$!
for _ in $(seq 1 100); do grep -q '^listening on 127.0.0.1:[0-9]*$' "$out" && break; sleep 0.1; done
grep -q '^listening on 127.0.0.1:[0-9]*$' "$out" || { echo "no 'listening on' line"; kill $pid; exit 1; }
[ "$(wc -l <"$out")" -eq 1 ] || { echo "more than one line printed"; cat "$out"; kill $pid; exit 1; }
port=$(sed 's/.*://' "$out")
# The port accepts connections.
exec 3<>/dev/tcp/127.0.0.1/"$port" || { echo "port $port not accepting"; kill $pid; exit 1; }
exec 3>&-
kill -TERM $pid
status=0
wait $pid || status=$?
[ $status -eq 0 ] || { echo "exit status $status after SIGTERM"; exit 1; }
# --stats-file is written on the way out: how appends arrived (none here).
grep -q '"batchAppend"' "$dir/stats.json" || { echo "no --stats-file written on SIGTERM"; exit 1; }

# --cluster N: one 'listening on' line per node, node 0 first, all serving before the first line;
# SIGUSR1 (resign) and SIGUSR2 (kill the leader) keep the process running; SIGTERM ends it cleanly.
if "$bin" --listen 127.0.0.1:0 --insecure --cluster 0 2>"$out"; then echo "--cluster 0 accepted"; exit 1; fi
grep -q -- "--cluster" "$out" || { echo "no clear error for a bad --cluster"; exit 1; }
"$bin" --listen 127.0.0.1:0 --insecure --cluster 3 >"$out" &
pid=$!
for _ in $(seq 1 100); do [ "$(grep -c '^listening on 127.0.0.1:[0-9]*$' "$out")" -eq 3 ] && break; sleep 0.1; done
[ "$(grep -c '^listening on 127.0.0.1:[0-9]*$' "$out")" -eq 3 ] || { echo "--cluster 3 did not print 3 lines"; cat "$out"; kill $pid; exit 1; }
[ "$(sed 's/.*://' "$out" | sort -u | wc -l)" -eq 3 ] || { echo "cluster nodes share a port"; cat "$out"; kill $pid; exit 1; }
for port in $(sed 's/.*://' "$out"); do
  exec 3<>/dev/tcp/127.0.0.1/"$port" || { echo "node port $port not accepting"; kill $pid; exit 1; }
  exec 3>&-
done
kill -USR1 $pid; sleep 0.2; kill -USR2 $pid; sleep 0.2
kill -0 $pid || { echo "the cluster died of SIGUSR1/SIGUSR2"; exit 1; }
# Node 0 resigned, node 1 took over and was killed: its port is closed, the others still serve.
killed=$(sed -n 2p "$out" | sed 's/.*://')
if (exec 3<>/dev/tcp/127.0.0.1/"$killed") 2>/dev/null; then echo "the killed leader (port $killed) still accepts"; kill $pid; exit 1; fi
for port in $(sed -n '1p;3p' "$out" | sed 's/.*://'); do
  (exec 3<>/dev/tcp/127.0.0.1/"$port") || { echo "node port $port stopped with the leader"; kill $pid; exit 1; }
done
kill -TERM $pid
status=0
wait $pid || status=$?
[ $status -eq 0 ] || { echo "cluster exit status $status after SIGTERM"; exit 1; }

# --fault-file: a plan it cannot read is refused with the reason.
echo '{"rules": [{"fault": "explode"}]}' >"$dir/faults.json"
if "$bin" --listen 127.0.0.1:0 --insecure --fault-file "$dir/faults.json" 2>"$out"; then
    echo "started with a fault plan naming an unknown fault"; exit 1
fi
grep -q "explode" "$out" || { echo "the --fault-file error does not name the fault:"; cat "$out"; exit 1; }

# Secure by default: without --insecure it needs certificates, and says so.
for opt in --certificate-file --certificate-private-key-file --trusted-root-certificates-path; do
    grep -q -- "$opt" <<<"$help" || { echo "--help does not list $opt"; exit 1; }
done
if "$bin" --listen 127.0.0.1:0 2>"$out"; then echo "started without --insecure and without certificates"; exit 1; fi
grep -q -- "--certificate-file" "$out" || { echo "no clear error without certificates:"; cat "$out"; exit 1; }
if "$bin" --listen 127.0.0.1:0 --certificate-file /nonexistent.crt --certificate-private-key-file /nonexistent.key 2>"$out"; then
    echo "started with missing certificate files"; exit 1
fi
grep -q "/nonexistent.crt" "$out" || { echo "the error does not name the missing file:"; cat "$out"; exit 1; }
"$(dirname "$0")/../support/make-test-certs.sh" "$certs"
"$bin" --listen 127.0.0.1:0 --certificate-file "$certs/server.crt" --certificate-private-key-file "$certs/server.key" \
    --trusted-root-certificates-path "$certs/ca.crt" >"$out" &
pid=$!
for _ in $(seq 1 100); do grep -q '^listening on 127.0.0.1:[0-9]*$' "$out" && break; sleep 0.1; done
grep -q '^listening on 127.0.0.1:[0-9]*$' "$out" || { echo "secure sandbox printed no 'listening on' line"; kill $pid; exit 1; }
port=$(sed 's/.*://' "$out")
# The handshake is what counts: s_client's exit status also reflects how the server closed the
# connection afterwards (an HTTP/2 server drops a client that sends no preface), which races.
openssl s_client -connect 127.0.0.1:"$port" -CAfile "$certs/ca.crt" -verify_return_error -alpn h2 \
    </dev/null >"$out" 2>&1 || true
grep -q "Verify return code: 0 (ok)" "$out" && grep -q "ALPN protocol: h2" "$out" \
    || { echo "TLS handshake with the secure sandbox failed:"; cat "$out"; kill $pid; exit 1; }
kill -TERM $pid
wait $pid || { echo "secure sandbox did not exit cleanly"; exit 1; }
echo "sandbox CLI contract holds"

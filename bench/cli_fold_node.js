#!/usr/bin/env node
// Peer for bench_cli: what `chronoscope-cli fold --at T --reducer demo-orders.reducer.json` does, in Node.js
// with an official client: read the stream from its start, upcast (the reducer file's upcasters), fold with the
// projection source the reducer file names (fromAll().when({...}), as a server projection runs it), check the
// reducer file's invariants after every event, stop at the first event created after T, print the state's
// totals. The clients come from tests/conformance/node_modules (npm ci), or --modules DIR.
// @kurrent/kurrentdb-client 1.x hands `created` over in whole seconds (its bridge drops the fraction), so with it
// the fold runs to the end of T's second: a few more events than ours, never fewer.
// Usage: node cli_fold_node.js kurrent|eventstore PORT STREAM AT_MS REDUCER_FILE [--modules DIR]
// Prints one line: {"events":N,"seconds":S,"totals":{...},"invariantErrors":K}
'use strict';
const fs = require('fs');
const path = require('path');

const [client, port, stream, atText, reducerPath] = process.argv.slice(2);
const mi = process.argv.indexOf('--modules');
const modules = mi > 0 ? process.argv[mi + 1] : path.join(__dirname, '..', 'tests', 'conformance', 'node_modules');

function compile(lines) {
    // eslint-disable-next-line no-new-func
    return new Function('return (' + (Array.isArray(lines) ? lines.join('\n') : lines) + ');')();
}

async function main() {
    const started = process.hrtime.bigint();
    const reducer = JSON.parse(fs.readFileSync(reducerPath, 'utf8'));
    const source = fs.readFileSync(path.join(path.dirname(reducerPath), reducer.projectionFile), 'utf8');
    let handlers = null;
    const define = () => ({ when(h) { handlers = h; return this; }, outputState() { return this; } });
    // eslint-disable-next-line no-new-func
    new Function('fromAll', 'fromStream', 'fromStreams', 'fromCategory', source)(define, define, define, define);
    const upcasters = (reducer.upcasters || []).map((u) => ({ ...u, fn: compile(u.function) }));
    const invariants = (reducer.invariants || []).map((i) => ({ name: i.name, fn: compile(i.function) }));
    const versionOf = (u, data, metadata) => {
        const [where, key] = u.versionFrom.split('.');
        const v = (where === 'metadata' ? metadata : data) || {};
        return v[key] === undefined ? u.defaultVersion : v[key];
    };

    let START, FORWARDS, db;
    if (client === 'kurrent') {
        const k = require(path.join(modules, '@kurrent/kurrentdb-client'));
        ({ START, FORWARDS } = k);
        db = k.KurrentDBClient.connectionString(`kurrentdb://127.0.0.1:${port}?tls=false`);
    } else {
        const e = require(path.join(modules, '@eventstore/db-client'));
        ({ START, FORWARDS } = e);
        db = e.EventStoreDBClient.connectionString(`esdb://127.0.0.1:${port}?tls=false`);
    }
    const at = Number(atText);
    let state = handlers.$init ? handlers.$init() : {};
    let n = 0, invariantErrors = 0;
    const reader = db.readStream(stream, { fromRevision: START, direction: FORWARDS });
    for await (const resolved of reader) {
        const e = resolved.event;
        if (!e)
            continue;
        const created = e.created instanceof Date ? e.created.getTime() : Number(BigInt(e.created) / 10000n);
        if (created > at)
            break;
        let data = e.data, metadata = e.metadata || {};
        const type = e.type;
        for (const u of upcasters)
            if (u.eventType === type && versionOf(u, data, metadata) === u.version)
                data = u.fn(data, metadata);
        const event = { eventType: type, streamId: e.streamId, sequenceNumber: Number(e.revision), data: data,
                        metadata: metadata, body: data, isJson: true };
        const h = handlers[type] || handlers.$any;
        if (h) {
            const r = h(state, event);
            if (r !== undefined)
                state = r;
        }
        for (const inv of invariants)
            if (inv.fn(state, event) !== true)
                invariantErrors++;
        n++;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(JSON.stringify({ events: n, seconds: seconds, totals: state.totals, invariantErrors: invariantErrors }));
    await db.dispose();
}
main().catch((e) => { console.error(e); process.exit(1); });

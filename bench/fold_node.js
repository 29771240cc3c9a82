#!/usr/bin/env node
// Peer for bench_fold_js: folds the same events with the same projection source in Node.js (V8), through
// the same projection runtime (core/script/js/projection_runtime.js) that Chronoscope's JsReducer runs.
// Usage: node fold_node.js --runtime R.js --projection P.js --events E.ndjson [--batch 1000] [--state out.json]
// Events: one JSON object per line {t: type, s: stream, n: revision, d: data text, m: metadata text, i: id}.
// Reading and packing the file is not timed; only the fold loop is. Prints one JSON line with the figures.
'use strict';
const fs = require('fs');
const vm = require('vm');

function arg(name, fallback) {
    const i = process.argv.indexOf('--' + name);
    return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const runtimePath = arg('runtime');
const projectionPath = arg('projection');
const eventsPath = arg('events');
const batchSize = parseInt(arg('batch', '1000'), 10);
const statePath = arg('state');
if (!runtimePath || !projectionPath || !eventsPath) {
    console.error('usage: fold_node.js --runtime R.js --projection P.js --events E.ndjson [--batch N] [--state out.json]');
    process.exit(2);
}

vm.runInThisContext(fs.readFileSync(runtimePath, 'utf8'), { filename: 'projection_runtime.js' });
const cs = globalThis.__chronoscope;
const rt = cs.create('projection.js');
vm.runInThisContext(fs.readFileSync(projectionPath, 'utf8'), { filename: 'projection.js' });
const info = JSON.parse(rt.finishDefinition());
const handled = new Set(info.handledTypes);
const streams = new Set(info.sources.streams);
const categories = new Set(info.sources.categories);
function selected(type, stream) {
    if (!info.sources.allStreams && !streams.has(stream)) {
        const dash = stream.indexOf('-');
        if (dash < 0 || !categories.has(stream.substring(0, dash)))
            return false;
    }
    return info.any || handled.has(type);
}

// Pack the events exactly as EventBatchEncoder does: text fields back to back, kStride numbers each.
// Line by line from a Buffer: a million events are more text than one JavaScript string may hold.
const file = fs.readFileSync(eventsPath);
function* lines() {
    for (let start = 0; start < file.length;) {
        let end = file.indexOf(10, start);
        if (end < 0)
            end = file.length;
        yield file.toString('utf8', start, end);
        start = end + 1;
    }
}
const batches = [];
let total = 0;
let parts = [], nums = [], count = 0, offset = 0, types = new Map();
function flush() {
    if (count === 0)
        return;
    batches.push({ text: parts.join(''), nums: new Float64Array(nums), count: count });
    parts = []; nums = []; count = 0; offset = 0; types = new Map();
}
for (const line of lines()) {
    if (line.length === 0)
        continue;
    const ev = JSON.parse(line);
    const index = total++;
    if (!selected(ev.t, ev.s))
        continue;
    // A type's text is sent once per batch; later events refer to it as -(k+1).
    let lt = ev.t.length;
    if (types.has(ev.t)) {
        lt = -(types.get(ev.t) + 1);
    } else {
        types.set(ev.t, types.size);
        parts.push(ev.t);
        offset += ev.t.length;
    }
    parts.push(ev.s, ev.d, ev.m, ev.i);
    nums.push(offset - (lt >= 0 ? lt : 0), lt, ev.s.length, ev.d.length, ev.m.length, -1, ev.i.length, ev.n, index, cs.flagJson);
    offset += ev.s.length + ev.d.length + ev.m.length + ev.i.length;
    if (++count >= batchSize)
        flush();
}
flush();

const started = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
let errors = 0;
for (const b of batches)
    errors += rt.foldBatch(b.text, b.nums, b.count).length;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuBefore); // all threads of the process (V8's GC helpers too), microseconds
if (statePath)
    fs.writeFileSync(statePath, rt.stateJson());
console.log(JSON.stringify({ engine: 'node ' + process.version, events: total, seconds: seconds,
                             rate: total / seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, errors: errors }));

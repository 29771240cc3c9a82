// Reads $all or one stream through an official Node client and prints "events N seconds S cpu C"
// (C: CPU seconds the Node process used for the read, all its threads).
// Used by bench_read_throughput; the clients come from tests/conformance/node_modules (npm ci).
'use strict';
const path = require('path');
const modules = path.join(__dirname, '..', 'tests', 'conformance', 'node_modules');
const [client, port, mode, stream] = process.argv.slice(2);

async function main() {
  let db;
  let START, FORWARDS;
  if (client === 'kurrent') {
    const k = require(path.join(modules, '@kurrent/kurrentdb-client'));
    ({ START, FORWARDS } = k);
    db = k.KurrentDBClient.connectionString(`kurrentdb://127.0.0.1:${port}?tls=false`);
  } else {
    const e = require(path.join(modules, '@eventstore/db-client'));
    ({ START, FORWARDS } = e);
    db = e.EventStoreDBClient.connectionString(`esdb://127.0.0.1:${port}?tls=false`);
  }
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  let n = 0;
  const reader = mode === 'all'
    ? db.readAll({ fromPosition: START, direction: FORWARDS })
    : db.readStream(stream, { fromRevision: START, direction: FORWARDS });
  for await (const e of reader) {
    if (e.event) n++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(`events ${n} seconds ${seconds} cpu ${(cpu.user + cpu.system) / 1e6}`);
  await db.dispose();
}
main().catch((e) => { console.error(e); process.exit(1); });

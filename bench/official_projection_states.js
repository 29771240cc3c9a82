// Fetches every partition's state of a projection one by one through an official Node client, as a
// script that checks a projection would (the client has no bulk call), and prints "states N seconds S".
// Used by bench_projection_compare; the clients come from tests/conformance/node_modules (npm ci).
'use strict';
const fs = require('fs');
const path = require('path');
const modules = path.join(__dirname, '..', 'tests', 'conformance', 'node_modules');
const [client, port, name, partitionsFile] = process.argv.slice(2);

async function main() {
  const db = client === 'kurrent'
    ? require(path.join(modules, '@kurrent/kurrentdb-client'))
        .KurrentDBClient.connectionString(`kurrentdb://127.0.0.1:${port}?tls=false`)
    : require(path.join(modules, '@eventstore/db-client'))
        .EventStoreDBClient.connectionString(`esdb://127.0.0.1:${port}?tls=false`);
  const partitions = fs.readFileSync(partitionsFile, 'utf8').split('\n').filter((p) => p.length > 0);
  await db.getProjectionStatus(name); // connected before the clock starts, as ours is
  const started = process.hrtime.bigint();
  let n = 0;
  let checksum = 0;
  for (const partition of partitions) {
    const state = await db.getProjectionState(name, { partition });
    if (state && typeof state.total === 'number') checksum += state.total;
    n++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`states ${n} seconds ${seconds} checksum ${checksum}`);
  await db.dispose();
}
main().catch((e) => { console.error(e); process.exit(1); });

"use strict";
// Shared by the two Node drivers: runs scenarios.json through an official client and normalises
// what it returns to the common result shape (see README.md). Each driver only supplies the few
// places where the two client generations differ (see makeAdapter in kurrent.js/eventstore.js).

const fs = require("fs");
const path = require("path");
const { clusterConnectionString, gossipAny, connectedRole } = require("./cluster");
const { readThroughFailover, subscribeThroughFailover } = require("./failover");
const { generatedEvents, summarize } = require("./generated");
const { runPersistentStep } = require("./persistent");

function parseArgs(argv) {
  const args = { scenarios: path.join(__dirname, "scenarios.json") };
  for (let i = 2; i < argv.length; i++) {
    if (argv[i] === "--port") args.port = Number(argv[++i]);
    else if (argv[i] === "--scenarios") args.scenarios = argv[++i];
    else if (argv[i] === "--ca") args.ca = argv[++i];
    else if (argv[i] === "--ports") args.ports = argv[++i].split(",").map(Number); // --cluster: every node's port
    else if (argv[i] === "--sandbox-pid") args.sandboxPid = Number(argv[++i]); // killLeaderAfter: SIGUSR2 goes there
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(args.port) || args.port <= 0) throw new Error("--port PORT is required");
  return args;
}

const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const str = (n) => (n === undefined || n === null ? null : String(n));

function normPosition(p) {
  return p ? { commit: str(p.commit), prepare: str(p.prepare) } : null;
}

// Metadata and data as both clients surface them: parsed JSON when it parses, raw bytes otherwise.
function normRecord(r) {
  let metadata = null;
  if (r.metadata instanceof Uint8Array) metadata = b64(r.metadata);
  else if (r.metadata !== undefined) metadata = r.metadata;
  return {
    streamId: r.streamId,
    id: r.id,
    revision: str(r.revision),
    type: r.type,
    isJson: r.isJson,
    data: r.isJson ? r.data : b64(r.data),
    metadata,
    created: r.created.getTime(),
    position: normPosition(r.position),
  };
}

function normResolved(e) {
  const out = e.event ? normRecord(e.event) : { event: null };
  if (e.link) out.link = normRecord(e.link);
  out.commitPosition = str(e.commitPosition);
  return out;
}

// Both clients report expected/actual as bigint or a state name; the trailer path gives raw
// sentinel numbers (-1 no stream, -2 any, -4 stream exists).
function normState(s) {
  if (typeof s === "bigint") {
    if (s === -1n) return "no_stream";
    if (s === -2n) return "any";
    if (s === -4n) return "stream_exists";
    return s.toString();
  }
  return s === undefined ? null : String(s);
}

function errorResult(err, adapter) {
  if (err && typeof err.type === "string") {
    const error = { kind: err.type };
    if (err.type === "wrong-expected-version") {
      const { expected, actual } = adapter.wrongExpected(err);
      error.expected = normState(expected);
      error.actual = normState(actual);
    }
    if (err.type === "unknown") error.message = String(err.message);
    return { error };
  }
  return { error: { kind: "driver-exception", message: String((err && err.stack) || err) } };
}

// Stream metadata travels in wire form ($maxCount …) in scenarios and results; the clients'
// own API uses camelCase names, so translate both ways exactly as their helpers would.
const META_KEYS = { $maxAge: "maxAge", $maxCount: "maxCount", $tb: "truncateBefore", $cacheControl: "cacheControl", $acl: "acl" };
const ACL_KEYS = { $r: "readRoles", $w: "writeRoles", $d: "deleteRoles", $mr: "metaReadRoles", $mw: "metaWriteRoles" };
const invert = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [v, k]));
const renameKeys = (obj, map) => Object.fromEntries(Object.entries(obj).map(([k, v]) => [map[k] ?? k, v]));

function metadataToClient(wire) {
  const out = renameKeys(wire, META_KEYS);
  if (out.acl && typeof out.acl === "object") out.acl = renameKeys(out.acl, ACL_KEYS);
  return out;
}

function metadataToWire(client) {
  const out = renameKeys(client, invert(META_KEYS));
  if (out.$acl && typeof out.$acl === "object") out.$acl = renameKeys(out.$acl, invert(ACL_KEYS));
  return out;
}

function toEventData(e, lib) {
  let metadata;
  if (e.metadata !== undefined) metadata = e.metadata;
  else if (e.metadataBinary !== undefined) metadata = Buffer.from(e.metadataBinary, "base64");
  else if (e.metadataText !== undefined) metadata = Buffer.from(e.metadataText, "utf8");
  if (e.data !== undefined) return lib.jsonEvent({ id: e.id, type: e.type, data: e.data, metadata });
  const bytes = e.binary !== undefined ? Buffer.from(e.binary, "base64") : Buffer.from(e.text, "utf8");
  return lib.binaryEvent({ id: e.id, type: e.type, data: bytes, metadata });
}

function expectedState(x, lib) {
  if (typeof x === "number") return BigInt(x);
  return { any: lib.ANY, no_stream: lib.NO_STREAM, stream_exists: lib.STREAM_EXISTS }[x];
}

function readOptions(step, lib) {
  const options = { direction: step.direction === "backwards" ? lib.BACKWARDS : lib.FORWARDS };
  if (step.maxCount !== undefined) options.maxCount = step.maxCount;
  if (step.resolveLinks) options.resolveLinkTos = true;
  return options;
}

function fromOf(step, lib) {
  if (step.from === "start") return lib.START;
  if (step.from === "end") return lib.END;
  return step.from;
}

// `extra`: checkpoint options of a subscription's filter ({checkpointInterval, maxSearchWindow, checkpointReached}).
function filterOf(f, lib, extra = {}) {
  if (f.excludeSystemEvents) return lib.excludeSystemEvents(extra);
  const make = f.on === "eventType" ? lib.eventTypeFilter : lib.streamNameFilter;
  return make({ ...(f.regex !== undefined ? { regex: f.regex } : { prefixes: f.prefixes }), ...extra });
}

// A scenario's projection source: one string, or an array of lines.
const queryOf = (step) => (Array.isArray(step.query) ? step.query.join("\n") : step.query);

// User projection management through the clients' APIs. An UnknownError's message is grpc-js's
// "<code> <NAME>: <details>"; the details alone are kept, as the C++ driver reports them.
async function userProjectionStep(step, client, auth) {
  try {
    switch (step.op) {
      case "createProjection":
        await client.createProjection(step.name, queryOf(step), {
          emitEnabled: step.emitEnabled ?? false, trackEmittedStreams: step.trackEmittedStreams ?? false, ...auth });
        return { ok: true };
      case "updateProjection":
        await client.updateProjection(step.name, queryOf(step),
          step.emitEnabled === undefined ? { ...auth } : { emitEnabled: step.emitEnabled, ...auth });
        return { ok: true };
      case "deleteProjection":
        await client.deleteProjection(step.name, {
          deleteEmittedStreams: step.deleteEmittedStreams ?? false, deleteStateStream: step.deleteStateStream ?? false,
          deleteCheckpointStream: step.deleteCheckpointStream ?? false, ...auth });
        return { ok: true };
      case "abortProjection":
        await client.abortProjection(step.name, auth);
        return { ok: true };
      case "resetProjection":
        await client.resetProjection(step.name, auth);
        return { ok: true };
      case "projectionState":
        return { value: (await client.getProjectionState(step.name, { partition: step.partition ?? "", ...auth })) ?? null };
      case "projectionResult":
        return { value: (await client.getProjectionResult(step.name, { partition: step.partition ?? "", ...auth })) ?? null };
    }
  } catch (err) {
    if (err && err.type === "unknown" && typeof err.message === "string")
      err.message = err.message.replace(/^\d+ [A-Z_]+: /, "");
    throw err;
  }
  throw new Error(`unknown op ${step.op}`);
}

// Projection details as both clients map the Statistics reply (their mapGrpcProjectionDetails).
function normProjection(d) {
  if (!d) return null;
  const out = {};
  for (const k of ["name", "effectiveName", "status", "projectionStatus", "processingStatus", "stateReason", "position",
                   "progress", "lastCheckpoint", "checkpointStatus", "writesInProgress", "readsInProgress",
                   "partitionsCached", "writePendingEventsBeforeCheckpoint", "writePendingEventsAfterCheckpoint"])
    out[k] = d[k];
  for (const k of ["coreProcessingTime", "version", "epoch", "eventsProcessedAfterRestart", "bufferedEvents"]) out[k] = str(d[k]);
  return out;
}

async function collect(iterable) {
  const events = [];
  for await (const e of iterable) events.push(normResolved(e));
  return { events };
}

function lastPosition(result) {
  const events = (result && result.events) || [];
  const last = events[events.length - 1];
  const p = last && ((last.link && last.link.position) || last.position);
  if (!p) throw new Error("'$prev' needs a previous step that read at least one event");
  return { commit: BigInt(p.commit), prepare: BigInt(p.prepare) };
}

// A step's `as` names a user of the scenario file's `users`; without it (or as "anonymous") the
// call carries the connection's credentials, which secure runs leave empty.
function credentialsOf(step, spec) {
  if (!step.as || step.as === "anonymous") return {};
  const user = spec.users && spec.users[step.as];
  if (!user) throw new Error(`unknown user ${step.as}`);
  return { credentials: { username: user.username, password: user.password } };
}

async function runStep(step, client, lib, adapter, previous, spec, args) {
  const auth = credentialsOf(step, spec);
  switch (step.op) {
    case "append": {
      const events = (step.generate ? generatedEvents(step.generate) : step.events).map((e) => toEventData(e, lib));
      const options = { ...adapter.appendOptions(expectedState(step.expected, lib)), ...auth };
      if (step.requiresLeader) options.requiresLeader = true;
      let r;
      let redirected = false;
      try {
        r = await client.appendToStream(step.stream, events, options);
      } catch (err) {
        // A follower answers not-leader; the official clients then move their channel to the leader it
        // names and leave the retry to the caller (as their docs say): retry once.
        if (!step.requiresLeader || !err || err.type !== "not-leader") throw err;
        redirected = true;
        r = await client.appendToStream(step.stream, events, options);
      }
      const out = { ok: true, nextExpectedRevision: str(r.nextExpectedRevision), position: normPosition(r.position) };
      if (step.requiresLeader) out.redirected = redirected;
      return out;
    }
    case "members":
      // Ports differ between runs: compare what each node is, in a stable order.
      return { members: (await gossipAny(adapter, args)).map((m) => ({ state: m.state, alive: m.alive }))
        .sort((a, b) => a.state.localeCompare(b.state)) };
    case "connection": {
      const role = await connectedRole(client, adapter, args);
      // `anyRole`: random may pick any serving node.
      return { role: step.anyRole && ["Leader", "Follower", "ReadOnlyReplica"].includes(role) ? "any serving node" : role };
    }
    case "read": {
      if (step.killLeaderAfter !== undefined) return await readThroughFailover(step, client, { adapter, args });
      const options = { ...readOptions(step, lib), ...auth };
      options.fromRevision = typeof step.from === "number" ? BigInt(step.from) : fromOf(step, lib);
      const read = await collect(client.readStream(step.stream, options));
      return step.summary ? { summary: summarize(read.events) } : read;
    }
    case "readAll": {
      if (step.filter && adapter.unsupportedReadAllFilter) return { unsupported: adapter.unsupportedReadAllFilter };
      const options = { ...readOptions(step, lib), ...auth };
      options.fromPosition = step.from === "$prev" ? lastPosition(previous) : fromOf(step, lib);
      if (step.filter) options.filter = filterOf(step.filter, lib);
      return await collect(client.readAll(options));
    }
    case "delete":
    case "tombstone": {
      const call = step.op === "delete" ? "deleteStream" : "tombstoneStream";
      const r = await client[call](step.stream, { expectedRevision: expectedState(step.expected, lib), ...auth });
      return { ok: true, position: normPosition(r && r.position) };
    }
    case "getMetadata": {
      const r = await client.getStreamMetadata(step.stream, auth);
      return { metadata: r.metadata ? metadataToWire(r.metadata) : null };
    }
    case "setMetadata": {
      const r = await client.setStreamMetadata(step.stream, metadataToClient(step.metadata), auth);
      return { ok: true, nextExpectedRevision: str(r.nextExpectedRevision), position: normPosition(r.position) };
    }
    case "subscribe":
      if (step.killLeaderAfter !== undefined) {
        const runLive = (s) => runStep(s, client, lib, adapter, null, spec, args).then(
          (outcome) => ({ step: s.label ?? `${s.op} ${s.stream}`, ...outcome }),
          (err) => ({ step: s.label ?? `${s.op} ${s.stream}`, ...errorResult(err, adapter) }));
        return await subscribeThroughFailover(step, client, { adapter, args }, runLive);
      }
      return await subscribe(step, client, lib, adapter, previous, spec);
    case "listProjections":
      return { projections: (await client.listProjections(auth)).map(normProjection) };
    case "projectionStatus":
      return { projection: normProjection(await client.getProjectionStatus(step.name, auth)) };
    case "enableProjection":
      await client.enableProjection(step.name, auth);
      return { ok: true };
    case "disableProjection":
      await client.disableProjection(step.name, auth);
      return { ok: true };
    case "createProjection":
    case "updateProjection":
    case "deleteProjection":
    case "abortProjection":
    case "resetProjection":
    case "projectionState":
    case "projectionResult":
      return await userProjectionStep(step, client, auth);
    default: {
      const outcome = step.op.startsWith("ps") ? await runPersistentStep(step, client, lib) : undefined;
      if (outcome === undefined) throw new Error(`unknown op ${step.op}`);
      return outcome;
    }
  }
}

// A catch-up subscription (stream or $all): waits for caughtUp, then runs the step's `live` steps
// through the same client, and stops once `count` events arrived (or, with `expectEnd`, when the
// server ends the call). Checkpoints are kept up to the last event's position: later ones race
// with the unsubscribe. `end` is the kind of error the server ended the call with.
function subscribe(step, client, lib, adapter, previous, spec) {
  const checkpoints = [];
  const options = { resolveLinkTos: !!step.resolveLinks, ...credentialsOf(step, spec) };
  let sub;
  if (step.stream !== undefined) {
    options.fromRevision = typeof step.from === "number" ? BigInt(step.from) : fromOf(step, lib);
    sub = client.subscribeToStream(step.stream, options);
  } else {
    options.fromPosition = step.from === "$prev" ? lastPosition(previous) : fromOf(step, lib);
    if (step.filter) {
      const extra = { checkpointInterval: step.filter.checkpointInterval ?? 1, checkpointReached: (_s, p) => checkpoints.push(normPosition(p)) };
      if (step.filter.maxSearchWindow !== undefined) extra.maxSearchWindow = step.filter.maxSearchWindow;
      options.filter = filterOf(step.filter, lib, extra);
    }
    sub = client.subscribeToAll(options);
  }
  const events = [];
  const live = [];
  let caughtUpAt;
  let liveDone = false;
  let end = null;
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => settle(new Error(`subscription: ${events.length} of ${step.count} events after 20 s`)), 20000);
    const settle = (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sub.unsubscribe().then(() => {
        if (err) return reject(err);
        const last = events[events.length - 1];
        const limit = last && ((last.link && last.link.position) || last.position);
        const kept = checkpoints.filter((c) => limit && BigInt(c.commit) <= BigInt(limit.commit));
        const out = { events, caughtUp: caughtUpAt !== undefined, caughtUpAt: caughtUpAt ?? null, checkpoints: kept, live };
        if (end) out.end = end;
        resolve(out);
      }, reject);
    };
    const maybeDone = () => {
      if (liveDone && !step.expectEnd && events.length >= step.count) settle();
    };
    sub.on("caughtUp", async (info) => {
      if (caughtUpAt !== undefined) return;
      caughtUpAt = adapter.caughtUpInfo(info);
      try {
        for (const s of step.live ?? []) {
          let outcome;
          try {
            outcome = await runStep(s, client, lib, adapter, null, spec);
          } catch (err) {
            outcome = errorResult(err, adapter);
          }
          live.push({ step: s.label ?? `${s.op} ${s.stream ?? "$all"}`, ...outcome });
        }
      } finally {
        liveDone = true;
        maybeDone();
      }
    });
    sub.on("data", (e) => {
      events.push(normResolved(e));
      maybeDone();
    });
    sub.on("error", (err) => {
      if (caughtUpAt === undefined && !step.expectEnd) return settle(err);
      end = errorResult(err, adapter).error.kind;
      const wait = setInterval(() => {
        if (!liveDone) return;
        clearInterval(wait);
        settle();
      }, 10);
    });
  });
}

// A `restart` step: compare.js restarts the sandbox on the same --db and port when the driver
// prints "@@restart" on stderr, and answers on the driver's stdin once the new one listens.
let stdinLines = null;
function requestRestart() {
  if (!stdinLines) {
    const rl = require("readline").createInterface({ input: process.stdin });
    stdinLines = { queue: [], waiting: [] };
    rl.on("line", (line) => {
      const w = stdinLines.waiting.shift();
      if (w) w(line);
      else stdinLines.queue.push(line);
    });
  }
  process.stderr.write("@@restart\n");
  return new Promise((resolve) => {
    const line = stdinLines.queue.shift();
    if (line !== undefined) resolve(line);
    else stdinLines.waiting.push(resolve);
  }).then((answer) => {
    if (answer !== "restarted") throw new Error(`restart: ${answer}`);
  });
}

async function runAll(adapter) {
  const args = parseArgs(process.argv);
  const spec = JSON.parse(fs.readFileSync(args.scenarios, "utf8"));
  let shared = adapter.connect(args.port, args.ca);
  const output = [];
  try {
    for (const scenario of spec.scenarios) {
      const result = [];
      let previous = null;
      // A scenario with its own `connection` (clusters) gets a client of its own.
      const connectionString = scenario.connection ? clusterConnectionString(scenario.connection, args) : null;
      let client = connectionString ? adapter.connectString(connectionString) : shared;
      // The failover steps open a new client on the same connection string when a user would.
      const scenarioArgs = { ...args, connectionString };
      for (const step of scenario.steps) {
        let outcome;
        const started = Date.now();
        if (step.op === "restart") {
          // The client goes before the server does (its connections closed, nothing to wait out)
          // and a new one comes after: what is compared is the server's memory, not reconnection.
          if (client !== shared) throw new Error("restart: only on the shared client");
          await shared.dispose();
          await requestRestart();
          shared = client = adapter.connect(args.port, args.ca);
          result.push({ step: step.label ?? "restart", ok: true });
          continue;
        }
        try {
          outcome = await runStep(step, client, adapter.lib, adapter, previous, spec, scenarioArgs);
        } catch (err) {
          outcome = errorResult(err, adapter);
        }
        // Reads through the Rust bridge carry requires-leader with nodePreference=leader; on a
        // follower they get not-leader, after which the client talks to the leader: retried once.
        if (["read", "readAll", "getMetadata"].includes(step.op) && outcome.error?.kind === "not-leader") {
          process.stderr.write(`warning: ${scenario.name}: ${step.op} ${step.stream ?? "$all"}: NotLeaderError, retried once\n`);
          try {
            outcome = await runStep(step, client, adapter.lib, adapter, previous, spec, scenarioArgs);
          } catch (err) {
            outcome = errorResult(err, adapter);
          }
        }
        // The Rust bridge now and then answers a read with UnavailableError on a loaded machine
        // (seen in the projection scenarios and once on a metadata read; never reproduced with gRPC
        // tracing on). The clients document it as "reconnect and retry", so a read is retried once,
        // said on stderr.
        if (adapter.retryUnavailableReads && ["read", "readAll", "getMetadata"].includes(step.op) && outcome.error?.kind === "unavailable") {
          process.stderr.write(`warning: ${scenario.name}: ${step.op} ${step.stream ?? "$all"}: UnavailableError, retried once\n`);
          try {
            outcome = await runStep(step, client, adapter.lib, adapter, previous, spec, scenarioArgs);
          } catch (err) {
            outcome = errorResult(err, adapter);
          }
        }
        if (process.env.CONFORMANCE_TRACE)
          process.stderr.write(`${scenario.name}: ${step.op} ${step.stream ?? step.name ?? "$all"}: ${Date.now() - started} ms\n`);
        previous = outcome;
        result.push({ step: step.label ?? `${step.op} ${step.stream ?? step.name ?? "$all"}`, ...outcome });
      }
      if (client !== shared) await client.dispose();
      output.push({ scenario: scenario.name, result });
    }
  } finally {
    await shared.dispose();
  }
  process.stdout.write(JSON.stringify(output, null, 1) + "\n");
}

function main(adapter) {
  runAll(adapter).then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`driver failed: ${(err && err.stack) || err}\n`);
      process.exit(2);
    },
  );
}

module.exports = { main, normPosition };
